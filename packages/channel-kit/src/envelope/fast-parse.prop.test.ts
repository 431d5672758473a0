import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWellFormedInbound } from './fast-parse.js';
import { withoutUndefined } from './issues.js';
import { inboundMessageSchema } from './schema.js';

/** What `parseInbound` returned before the fast path: the schema's output, `undefined` fields dropped. */
function bySchema(input: unknown): unknown {
  const result = inboundMessageSchema.safeParse(input);
  if (!result.success) return undefined;
  const msg = withoutUndefined(result.data);
  for (const nested of [msg.sender, msg.mentions, msg.replyTo]) if (nested) withoutUndefined(nested);
  return msg;
}

// Values on both sides of every rule: blank and padded strings, unsafe integers, fractions,
// negative and non-finite numbers, bigints, booleans, dates, nulls, arrays, class instances.
class Box {
  readonly id = 'x';
}
const scalar = fc.oneof(
  fc.constantFrom('', ' ', ' a ', 'A', 'x:y', '0', 'constructor', '__proto__', 'toString'),
  fc.string({ maxLength: 4 }),
  fc.constantFrom(0, -0, 1, -5, 1.5, 2 ** 53, -(2 ** 53), Number.NaN, Number.POSITIVE_INFINITY, 1e21),
  fc.integer(),
  fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
  fc.boolean(),
  fc.constantFrom(undefined, null, new Date(5), new Date(Number.NaN), [], {}, new Box()),
);
const idValue = fc.oneof(
  { weight: 20, arbitrary: fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.bigInt()) },
  { weight: 1, arbitrary: scalar },
);
const kind = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.constantFrom('direct', 'dm', 'group', 'supergroup', 'channel', ' DM ', 'Group', 'room'),
  },
  { weight: 1, arbitrary: scalar },
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });
const stringish = fc.oneof(
  { weight: 20, arbitrary: fc.string({ maxLength: 5 }) },
  { weight: 1, arbitrary: scalar },
);
const boolish = fc.oneof({ weight: 20, arbitrary: fc.boolean() }, { weight: 1, arbitrary: scalar });
/** An arbitrary for an object with these fields, sometimes with one unknown key or a non-plain shape. */
function record(
  fields: Record<string, fc.Arbitrary<unknown>>,
  required: readonly string[] = [],
): fc.Arbitrary<unknown> {
  const base = fc.record(fields, { requiredKeys: [...required] });
  return fc.oneof(
    { weight: 20, arbitrary: base },
    { weight: 1, arbitrary: base.map((r) => ({ ...r, extra: 1 })) },
    { weight: 1, arbitrary: base.map((r) => Object.assign(Object.create(null), r)) },
    { weight: 1, arbitrary: base.map((r) => Object.assign(new Box(), r)) },
    { weight: 1, arbitrary: scalar },
  );
}
const peer = record({ kind, id: idValue }, ['kind', 'id']);
const envelope = record(
  {
    channel: fc.oneof({ weight: 10, arbitrary: fc.constantFrom('test', ' Telegram ') }, stringish),
    accountId: maybe(stringish),
    messageId: idValue,
    peer,
    parentPeer: maybe(peer),
    threadId: maybe(idValue),
    guildId: maybe(idValue),
    teamId: maybe(idValue),
    memberRoleIds: maybe(fc.oneof(fc.array(idValue, { maxLength: 3 }), scalar)),
    sender: record(
      {
        id: idValue,
        username: maybe(stringish),
        name: maybe(stringish),
        e164: maybe(stringish),
        isBot: maybe(boolish),
        isSelf: maybe(boolish),
      },
      ['id'],
    ),
    text: stringish,
    mentions: maybe(
      record({ self: maybe(boolish), users: maybe(fc.oneof(fc.array(idValue, { maxLength: 3 }), scalar)) }),
    ),
    replyTo: maybe(
      record(
        { messageId: idValue, senderId: maybe(idValue), fromSelf: maybe(boolish), text: maybe(stringish) },
        ['messageId'],
      ),
    ),
    timestamp: fc.oneof({ weight: 20, arbitrary: fc.nat() }, fc.double(), scalar),
    raw: maybe(fc.anything()),
  },
  ['channel', 'messageId', 'peer', 'sender', 'text', 'timestamp'],
);
/** Mostly well-formed envelopes with one field possibly off, so both paths are exercised. */
const wellFormed = fc
  .record({
    channel: fc.constantFrom('test', ' Telegram '),
    messageId: fc.oneof(fc.string({ minLength: 1, maxLength: 5 }), fc.nat()),
    peer: fc.record({ kind: fc.constantFrom('direct', 'group', 'dm'), id: fc.nat() }),
    sender: fc.record({ id: fc.string({ minLength: 1, maxLength: 5 }) }),
    text: fc.string({ maxLength: 5 }),
    timestamp: fc.nat(),
  })
  .chain((base) =>
    fc.oneof(
      fc.constant(base),
      fc
        .tuple(
          fc.constantFrom(...Object.keys(base), 'threadId', 'accountId', 'mentions', 'raw', 'replyTo'),
          scalar,
        )
        .map(([key, value]) => ({ ...base, [key]: value })),
    ),
  );

describe('the fast envelope parser accepts nothing the schema rejects, and agrees with it', () => {
  let accepted = 0;
  const agrees = (input: unknown): void => {
    const fast = parseWellFormedInbound(input);
    if (fast === undefined) return;
    accepted++;
    expect(fast).toStrictEqual(bySchema(input));
    expect(Object.keys(fast)).toEqual(Object.keys(bySchema(input) as object));
  };

  it('on random near-valid envelopes', () => {
    accepted = 0;
    fc.assert(fc.property(envelope, agrees), { numRuns: 1000 });
    // Not vacuous: some of them took the fast path.
    expect(accepted).toBeGreaterThan(0);
  });

  it('on well-formed envelopes with one field changed', () => {
    accepted = 0;
    fc.assert(fc.property(wellFormed, agrees), { numRuns: 1000 });
    expect(accepted).toBeGreaterThan(100);
  });

  it('takes the fast path for a typical adapter envelope and keeps the input untouched', () => {
    const input = {
      channel: ' Telegram ',
      accountId: 'default',
      messageId: 42,
      peer: { kind: 'supergroup', id: -100123 },
      parentPeer: { kind: 'group', id: 'p' },
      threadId: ' 7 ',
      memberRoleIds: [1n, 'r'],
      sender: { id: 777, username: 'alice', isBot: false, name: undefined },
      text: 'hello',
      mentions: { self: true, users: ['bot'] },
      replyTo: { messageId: 1, fromSelf: true },
      timestamp: 1_700_000_000_000,
      raw: { update_id: 1 },
    };
    const copy = structuredClone(input);
    const fast = parseWellFormedInbound(input);
    expect(fast).toStrictEqual(bySchema(input));
    expect(fast?.raw).toBe(input.raw);
    expect(input).toStrictEqual(copy);
  });

  it('leaves invalid and unusual envelopes to the schema', () => {
    const valid = { channel: 'test', messageId: 'm', peer: { kind: 'direct', id: 'u' }, sender: { id: 'u' } };
    for (const input of [
      { ...valid, text: 'x', timestamp: new Date(5) },
      { ...valid, text: 3, timestamp: 1 },
      { ...valid, text: 'x', timestamp: 1, threadID: '1' },
      { ...valid, text: 'x', timestamp: 1, peer: { kind: 'room', id: 'x' } },
      { ...valid, text: 'x', timestamp: 1, sender: { id: '   ' } },
      null,
      'hi',
    ]) {
      expect(parseWellFormedInbound(input)).toBeUndefined();
    }
  });
});
