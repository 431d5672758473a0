import type { InboundMessage } from '@claw/channel-kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAccessConfig } from './config.js';
import { decideAccess } from './decide.js';
import type { AccessFacts } from './types.js';

const RUNS = { numRuns: 400 };
const IDS = ['1', '2', '42', 'alice'];
const GROUPS = ['-1', '-2'];

const list = fc.uniqueArray(fc.constantFrom(...IDS, '*'), { maxLength: 3 });
const groupEntry = fc.record(
  {
    requireMention: fc.boolean(),
    enabled: fc.boolean(),
    allowFrom: fc.uniqueArray(fc.constantFrom(...IDS), { maxLength: 2 }),
  },
  { requiredKeys: [] },
);
const channelSection = fc.record(
  {
    dmPolicy: fc.constantFrom('pairing', 'allowlist', 'open', 'disabled'),
    allowFrom: list,
    groupPolicy: fc.constantFrom('allowlist', 'open', 'disabled'),
    groupAllowFrom: list,
    groups: fc.dictionary(fc.constantFrom(...GROUPS, '*'), groupEntry, { maxKeys: 3 }),
    allowBots: fc.boolean(),
  },
  { requiredKeys: [] },
);

type Section = Record<string, unknown> & { dmPolicy?: string; allowFrom?: string[] };

/** Make a generated section valid: `open` needs "*", `allowlist` needs entries. */
function valid(section: Section): Section {
  const s = { ...section };
  if (s.dmPolicy === 'open' && !(s.allowFrom ?? []).includes('*'))
    s.allowFrom = [...(s.allowFrom ?? []), '*'];
  if (s.dmPolicy === 'allowlist' && (s.allowFrom ?? []).length === 0) s.allowFrom = ['2'];
  return s;
}

const channelName = fc.constantFrom('telegram', 'slack');
const message = fc.record({
  kind: fc.constantFrom('direct', 'group', 'group', 'channel'),
  groupId: fc.constantFrom(...GROUPS, '-9'),
  sender: fc.constantFrom(...IDS),
  isBot: fc.boolean(),
  text: fc.constantFrom('hi', 'hey claw', '/status', '/activation always', '@bot /status', ''),
  mentionSelf: fc.boolean(),
  mentionOther: fc.boolean(),
  replyToBot: fc.boolean(),
});
const facts = fc.record(
  {
    pairingAllowFrom: fc.uniqueArray(fc.constantFrom(...IDS, '*'), { maxLength: 3 }),
    pairingStoreUnavailable: fc.boolean(),
    activation: fc.constantFrom('mention' as const, 'always' as const),
    ownerIds: fc.uniqueArray(fc.constantFrom(...IDS), { maxLength: 2 }),
    nativeMentions: fc.boolean(),
    botThreadParticipant: fc.boolean(),
  },
  { requiredKeys: [] },
);

function toMessage(channel: string, m: MessageShape): InboundMessage {
  const users = [...(m.mentionSelf ? ['bot'] : []), ...(m.mentionOther ? ['someone'] : [])];
  return {
    channel,
    messageId: 'x',
    peer: m.kind === 'direct' ? { kind: 'direct', id: m.sender } : { kind: m.kind, id: m.groupId },
    sender: m.isBot ? { id: m.sender, isBot: true } : { id: m.sender },
    text: m.text,
    timestamp: 0,
    ...(users.length > 0 ? { mentions: { self: m.mentionSelf, users } } : {}),
    ...(m.replyToBot ? { replyTo: { messageId: 'r', fromSelf: true } } : {}),
  };
}
type MessageShape = {
  kind: 'direct' | 'group' | 'channel';
  groupId: string;
  sender: string;
  isBot: boolean;
  text: string;
  mentionSelf: boolean;
  mentionOther: boolean;
  replyToBot: boolean;
};

const build = (channel: string, section: Section) =>
  createAccessConfig({
    channels: { [channel]: valid(section) },
    messages: { groupChat: { mentionPatterns: ['\\bclaw\\b'] } },
  });
const baseFacts: AccessFacts = { bot: { id: 'bot', username: 'bot' } };

describe('access decision properties', () => {
  it('adding the sender to an allowlist never turns dispatch into drop', () => {
    fc.assert(
      fc.property(
        channelName,
        channelSection,
        message,
        facts,
        fc.constantFrom('allowFrom', 'groupAllowFrom', 'group'),
        (ch, section, m, f, where) => {
          // "Adding the sender" needs an id that identifies them on the channel (Telegram: numeric).
          fc.pre(ch !== 'telegram' || /^\d+$/.test(m.sender));
          const msg = toMessage(ch, m);
          const before = decideAccess(build(ch, section), msg, { ...baseFacts, ...f });
          fc.pre(before.action === 'dispatch');
          const widened: Section = { ...section };
          if (where === 'group') {
            const groups = { ...(section.groups ?? {}) } as Record<string, { allowFrom?: string[] }>;
            const key = groups[m.groupId] !== undefined ? m.groupId : '*';
            if (groups[key]?.allowFrom === undefined) return; // nothing to add to
            groups[key] = { ...groups[key], allowFrom: [...groups[key]!.allowFrom!, m.sender] };
            widened.groups = groups;
          } else {
            widened[where] = [...((section[where] as string[] | undefined) ?? []), m.sender];
          }
          const after = decideAccess(build(ch, widened), msg, { ...baseFacts, ...f });
          expect(after.action).not.toBe('drop');
        },
      ),
      RUNS,
    );
  });

  it('"disabled" always drops', () => {
    fc.assert(
      fc.property(channelName, channelSection, message, facts, (ch, section, m, f) => {
        const msg = toMessage(ch, m);
        const key = m.kind === 'direct' ? 'dmPolicy' : 'groupPolicy';
        const d = decideAccess(build(ch, { ...section, [key]: 'disabled' }), msg, { ...baseFacts, ...f });
        expect(d.action).toBe('drop');
      }),
      RUNS,
    );
  });

  it('the pairing store never changes a group decision', () => {
    fc.assert(
      fc.property(channelName, channelSection, message, facts, (ch, section, m, f) => {
        fc.pre(m.kind !== 'direct');
        const msg = toMessage(ch, m);
        const cfg = build(ch, section);
        const { pairingAllowFrom: _a, pairingStoreUnavailable: _b, ...rest } = f;
        const without = decideAccess(cfg, msg, { ...baseFacts, ...rest });
        const withStore = decideAccess(cfg, msg, {
          ...baseFacts,
          ...rest,
          pairingAllowFrom: [...IDS, '*'],
          pairingStoreUnavailable: f.pairingStoreUnavailable ?? true,
        });
        expect([withStore.action, withStore.reason]).toEqual([without.action, without.reason]);
      }),
      RUNS,
    );
  });

  it('under allowlist or open, no decision is ever pairing', () => {
    fc.assert(
      fc.property(
        channelName,
        channelSection,
        message,
        facts,
        fc.constantFrom('allowlist', 'open'),
        (ch, section, m, f, dmPolicy) => {
          const d = decideAccess(build(ch, { ...section, dmPolicy }), toMessage(ch, m), {
            ...baseFacts,
            ...f,
          });
          expect(d.action).not.toBe('pairing');
        },
      ),
      RUNS,
    );
  });

  it('pairing is only ever the answer to a DM', () => {
    fc.assert(
      fc.property(channelName, channelSection, message, facts, (ch, section, m, f) => {
        const d = decideAccess(build(ch, section), toMessage(ch, m), { ...baseFacts, ...f });
        if (d.action === 'pairing') expect(m.kind).toBe('direct');
      }),
      RUNS,
    );
  });
});
