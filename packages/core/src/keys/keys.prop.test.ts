import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSessionKey, formatSessionKey, normalizeSessionKeyInput } from './build.js';
import { SESSION_KEY_MARKERS } from './escape.js';
import { parseSessionKey } from './parse.js';
import type { SessionKeyInput } from './types.js';

/** Ids built to collide: reserved characters, markers, escapes, case variants, Unicode. */
const adversarialId = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('a', 'A', ':', '%', '3', 't', 'g', ' '), maxLength: 10 }),
  fc.constantFrom(...SESSION_KEY_MARKERS, 'Thread', 'TOPIC', 'dm', 'unknown', 'main', 'default', '*'),
  fc
    .tuple(
      fc.constantFrom('g1', '-100', 'A', ''),
      fc.constantFrom(':thread:', ':topic:', ':', '%3A', '%25'),
      fc.constantFrom('t1', '42', 'B', ''),
    )
    .map(([a, b, c]) => a + b + c),
  fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
  fc.integer(),
);

const channelId = fc.oneof(
  fc.constantFrom('telegram', 'Slack', 'matrix', 'cron', 'direct', 'group', 'thread', 'a:b', '%', ''),
  fc.string({ maxLength: 6 }),
);

const sessionKeyInput: fc.Arbitrary<SessionKeyInput> = fc.record(
  {
    agentId: fc.oneof(fc.constantFrom('main', 'Ops', 'direct', 'a:b', ''), fc.string({ maxLength: 6 })),
    channel: channelId,
    accountId: fc.oneof(
      fc.constantFrom('default', 'group', 'channel', 'direct', '__proto__', 'Work'),
      fc.string({ maxLength: 6 }),
    ),
    peer: fc.option(
      fc.record({
        kind: fc.constantFrom('direct', 'group', 'channel', 'dm', 'supergroup'),
        id: adversarialId,
      }),
      { nil: undefined },
    ),
    dmScope: fc.constantFrom('main', 'per-peer', 'per-channel-peer', 'per-account-channel-peer'),
    groupScope: fc.constantFrom('per-group', 'main'),
    mainKey: fc.oneof(fc.constantFrom('main', 'thread', 'a:b', 'Home', ''), fc.string({ maxLength: 6 })),
    threadId: fc.option(adversarialId, { nil: undefined }),
    caseInsensitiveIds: fc.boolean(),
    identityLinks: fc.constantFrom(undefined, {
      alice: ['telegram:111', 'slack:U1'],
      'b:o%b': ['matrix:!r:x'],
    }),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<SessionKeyInput>;

describe('session keys are injective and round-trip (fast-check)', () => {
  it('parseSessionKey(buildSessionKey(x)) returns the normalised parts of x', () => {
    fc.assert(
      fc.property(sessionKeyInput, (input) => {
        const key = buildSessionKey(input);
        expect(parseSessionKey(key)).toEqual(normalizeSessionKeyInput(input));
        expect(formatSessionKey(parseSessionKey(key))).toBe(key);
      }),
      { numRuns: 1000 },
    );
  });

  it('two inputs give the same key only when their normalised parts are equal', () => {
    fc.assert(
      fc.property(sessionKeyInput, sessionKeyInput, (a, b) => {
        const same = buildSessionKey(a) === buildSessionKey(b);
        expect(same).toBe(
          JSON.stringify(normalizeSessionKeyInput(a)) === JSON.stringify(normalizeSessionKeyInput(b)),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('distinct group ids never share a key, whatever characters they contain', () => {
    fc.assert(
      fc.property(
        adversarialId,
        adversarialId,
        fc.option(adversarialId, { nil: undefined }),
        (x, y, thread) => {
          const a = { channel: 'c', peer: { kind: 'group', id: x }, threadId: thread } as const;
          const b = { channel: 'c', peer: { kind: 'group', id: y } } as const;
          const pa = normalizeSessionKeyInput(a);
          const pb = normalizeSessionKeyInput(b);
          expect(buildSessionKey(a) === buildSessionKey(b)).toBe(JSON.stringify(pa) === JSON.stringify(pb));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('case variants share a key exactly when the channel is case-insensitive', () => {
    fc.assert(
      fc.property(
        fc
          .string({ minLength: 1, maxLength: 8 })
          .filter((s) => s.trim() !== '' && s.toLowerCase() !== s.toUpperCase()),
        (id) => {
          const lower = { channel: 'c', peer: { kind: 'group', id: id.toLowerCase() } } as const;
          const upper = { channel: 'c', peer: { kind: 'group', id: id.toUpperCase() } } as const;
          expect(buildSessionKey(lower) === buildSessionKey(upper)).toBe(
            id.trim().toLowerCase() === id.trim().toUpperCase(),
          );
          expect(buildSessionKey({ ...lower, caseInsensitiveIds: true })).toBe(
            buildSessionKey({ ...upper, caseInsensitiveIds: true }),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keys of ids without reserved characters are OpenClaw text on case-insensitive channels', () => {
    const plain = fc.stringMatching(/^[a-z0-9+@._-]{1,12}$/).filter((s) => !SESSION_KEY_MARKERS.includes(s));
    fc.assert(
      fc.property(plain, fc.constantFrom('group', 'channel'), plain, (id, kind, thread) => {
        expect(
          buildSessionKey({
            channel: 'telegram',
            peer: { kind, id },
            threadId: thread,
            caseInsensitiveIds: true,
          }),
        ).toBe(`agent:main:telegram:${kind}:${id}:thread:${thread}`);
      }),
      { numRuns: 300 },
    );
  });
});
