import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultConversationId, parseConversationId } from './conversation-id.js';

// Ids over an alphabet rich in the characters the escaping is about.
const id = fc.string({
  unit: fc.constantFrom('a', ':', '%', '3', 'A', 't', 'h', 'r', 'e', 'd', '2', '5'),
  maxLength: 14,
});
const conversation = fc.record({ peerId: id, threadId: fc.option(id, { nil: undefined }) });
const asTarget = ({ peerId, threadId }: { peerId: string; threadId: string | undefined }) => ({
  peer: { kind: 'group' as const, id: peerId },
  ...(threadId === undefined ? {} : { threadId }),
});

describe('defaultConversationId properties', () => {
  it('round-trips: parsing the id gives back the peer and thread', () => {
    fc.assert(
      fc.property(conversation, (c) => {
        const parsed = parseConversationId(defaultConversationId(asTarget(c)));
        expect(parsed.peerId).toBe(c.peerId);
        expect(parsed.threadId).toBe(c.threadId);
      }),
      { numRuns: 1000 },
    );
  });

  it('is injective: different conversations never share an id', () => {
    fc.assert(
      fc.property(conversation, conversation, (a, b) => {
        fc.pre(a.peerId !== b.peerId || a.threadId !== b.threadId);
        expect(defaultConversationId(asTarget(a))).not.toBe(defaultConversationId(asTarget(b)));
      }),
      { numRuns: 1000 },
    );
  });
});
