import { describe, expect, it } from 'vitest';
import { createAccessConfig } from '../access/config.js';
import { decideAccess } from '../access/decide.js';
import { dm, group } from '../access/test-messages.js';
import { ConfigError } from '../errors/index.js';
import { generatePairingCode, PAIRING_CODE_ALPHABET, type RandomSource } from './code.js';
import { PairingError } from './errors.js';
import { createMemoryPairingStore } from './memory-store.js';
import { formatPairingReply } from './message.js';
import { createPairing, PAIRING_TTL_MS } from './pairing.js';
import type { PairingStore } from './types.js';

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

/** A deterministic byte source (a counter), so codes are predictable and distinct. */
function counterRandom(): RandomSource {
  let n = 0;
  return (bytes) => {
    for (let i = 0; i < bytes.length; i++) bytes[i] = (n + i) & 0xff;
    n += 1;
  };
}

const setup = (options: Parameters<typeof createPairing>[1] = {}) => {
  const store = createMemoryPairingStore();
  const c = clock();
  const pairing = createPairing(store, { now: c.now, random: counterRandom(), ...options });
  return { store, clock: c, pairing };
};

describe('pairing codes', () => {
  it('are 8 characters from the 32-symbol alphabet without 0, O, 1, I', () => {
    expect(PAIRING_CODE_ALPHABET).toHaveLength(32);
    expect(PAIRING_CODE_ALPHABET).not.toMatch(/[0O1I]/);
    for (let i = 0; i < 50; i++) expect(generatePairingCode()).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
  });

  it('come from the injected random source', () => {
    const zeros: RandomSource = (b) => b.fill(0);
    expect(generatePairingCode(zeros)).toBe('AAAAAAAA');
    const all31: RandomSource = (b) => b.fill(31);
    expect(generatePairingCode(all31)).toBe('99999999');
  });
});

describe('pairing challenge', () => {
  it('a new sender gets a new code that expires after one hour', async () => {
    const { pairing, clock: c } = setup();
    const ch = await pairing.challenge('telegram', 'default', '42');
    expect(ch).toMatchObject({ status: 'new', isNew: true, expiresAt: c.now() + PAIRING_TTL_MS });
  });

  it('the same sender keeps the same code and gets no second challenge', async () => {
    const { pairing, clock: c } = setup();
    const first = await pairing.challenge('telegram', 'default', '42');
    c.advance(10 * 60 * 1000);
    const again = await pairing.challenge('telegram', 'default', { id: '42', username: 'bob' });
    expect(again).toMatchObject({ status: 'existing', isNew: false });
    if (first.status !== 'limit_reached' && again.status !== 'limit_reached')
      expect(again.code).toBe(first.code);
  });

  it('repeat contact does not extend the expiry', async () => {
    const { pairing, clock: c } = setup();
    await pairing.challenge('telegram', 'default', '42');
    c.advance(PAIRING_TTL_MS - 1);
    await pairing.challenge('telegram', 'default', '42');
    c.advance(1);
    expect(await pairing.challenge('telegram', 'default', '42')).toMatchObject({ status: 'new' });
  });

  it('at most 3 requests are pending per channel account; a 4th sender is ignored until one expires', async () => {
    const { pairing, clock: c } = setup();
    for (const id of ['1', '2', '3']) await pairing.challenge('telegram', 'default', id);
    expect(await pairing.challenge('telegram', 'default', '4')).toEqual({
      status: 'limit_reached',
      isNew: false,
    });
    // Another account of the same channel has its own slots.
    expect((await pairing.challenge('telegram', 'work', '4')).status).toBe('new');
    c.advance(PAIRING_TTL_MS);
    expect((await pairing.challenge('telegram', 'default', '4')).status).toBe('new');
  });

  it('concurrent challenges cannot exceed the cap', async () => {
    const { pairing } = setup();
    const results = await Promise.all(
      ['1', '2', '3', '4', '5'].map((id) => pairing.challenge('telegram', 'default', id)),
    );
    expect(results.filter((r) => r.status === 'new')).toHaveLength(3);
    expect(await pairing.listPending('telegram')).toHaveLength(3);
  });

  it('the same sender on another account is a separate request', async () => {
    const { pairing } = setup();
    await pairing.challenge('telegram', 'a', '42');
    expect((await pairing.challenge('telegram', 'b', '42')).status).toBe('new');
  });

  it('a request with a missing or broken createdAt counts as expired', async () => {
    const store = createMemoryPairingStore();
    await store.putPending('telegram', [
      { senderId: '42', accountId: 'default', code: 'ABCDEFGH', createdAt: Number.NaN, lastSeenAt: 0 },
    ]);
    const pairing = createPairing(store, { now: () => 5 });
    expect(await pairing.listPending('telegram')).toEqual([]);
    expect(await pairing.approve('telegram', 'ABCDEFGH')).toBeNull();
  });

  it('codes never collide with a pending code', async () => {
    let calls = 0;
    const repeating: RandomSource = (b) => b.fill(calls++ < 3 ? 0 : 1);
    const pairing = createPairing(createMemoryPairingStore(), { random: repeating });
    const a = await pairing.challenge('telegram', 'default', '1');
    const b = await pairing.challenge('telegram', 'default', '2');
    if (a.status === 'limit_reached' || b.status === 'limit_reached') throw new Error('unexpected');
    expect(a.code).toBe('AAAAAAAA');
    expect(b.code).toBe('BBBBBBBB');
  });

  it('a broken random source gives up after 500 attempts with a PairingError', async () => {
    const pairing = createPairing(createMemoryPairingStore(), { random: (b) => b.fill(0) });
    await pairing.challenge('telegram', 'default', '1');
    await expect(pairing.challenge('telegram', 'default', '2')).rejects.toMatchObject({
      code: 'code_space_exhausted',
    });
  });
});

describe('pairing approval', () => {
  it('approves a code case-insensitively and adds the sender to that account only', async () => {
    const { pairing } = setup();
    const ch = await pairing.challenge('telegram', 'work', '42');
    if (ch.status === 'limit_reached') throw new Error('unexpected');
    const approval = await pairing.approve('telegram', `  ${ch.code.toLowerCase()} `);
    expect(approval).toEqual({ channel: 'telegram', accountId: 'work', senderId: '42', becameOwner: false });
    expect(await pairing.isApproved('telegram', 'work', '42')).toBe(true);
    expect(await pairing.isApproved('telegram', 'default', '42')).toBe(false);
    expect(await pairing.listPending('telegram')).toEqual([]);
  });

  it('with an account given, the code must belong to that account', async () => {
    const { pairing } = setup();
    const ch = await pairing.challenge('telegram', 'work', '42');
    if (ch.status === 'limit_reached') throw new Error('unexpected');
    expect(await pairing.approve('telegram', ch.code, 'default')).toBeNull();
    expect(await pairing.approve('telegram', ch.code, 'work')).not.toBeNull();
  });

  it('expired and unknown codes are not approved', async () => {
    const { pairing, clock: c } = setup();
    const ch = await pairing.challenge('telegram', 'default', '42');
    if (ch.status === 'limit_reached') throw new Error('unexpected');
    expect(await pairing.approve('telegram', 'ZZZZZZZZ')).toBeNull();
    c.advance(PAIRING_TTL_MS);
    expect(await pairing.approve('telegram', ch.code)).toBeNull();
    expect(await pairing.isApproved('telegram', 'default', '42')).toBe(false);
  });

  it('an approval grants DM access only, never group access', async () => {
    const { pairing } = setup();
    const ch = await pairing.challenge('telegram', 'default', '42');
    if (ch.status === 'limit_reached') throw new Error('unexpected');
    await pairing.approve('telegram', ch.code);
    const facts = await pairing.readFacts('telegram', 'default');
    const config = createAccessConfig({ channels: { telegram: { groups: { '*': {} } } } });
    expect(decideAccess(config, dm('42'), facts).action).toBe('dispatch');
    expect(decideAccess(config, group('-1', '42', { mentions: { self: true } }), facts).action).toBe('drop');
  });

  it('the first approval becomes the owner only when opted in and no owner is configured', async () => {
    const opted = setup({ bootstrapOwner: true });
    for (const id of ['1', '2']) {
      const ch = await opted.pairing.challenge('telegram', 'default', id);
      if (ch.status === 'limit_reached') throw new Error('unexpected');
      const approval = await opted.pairing.approve('telegram', ch.code);
      expect(approval?.becameOwner).toBe(id === '1');
    }
    expect(await opted.store.getOwner!()).toBe('telegram:1');

    const configured = setup({ bootstrapOwner: true, configuredOwners: ['telegram:9'] });
    const ch = await configured.pairing.challenge('telegram', 'default', '1');
    if (ch.status === 'limit_reached') throw new Error('unexpected');
    expect((await configured.pairing.approve('telegram', ch.code))?.becameOwner).toBe(false);

    const off = setup();
    const ch2 = await off.pairing.challenge('telegram', 'default', '1');
    if (ch2.status === 'limit_reached') throw new Error('unexpected');
    expect((await off.pairing.approve('telegram', ch2.code))?.becameOwner).toBe(false);
    expect(await off.store.getOwner!()).toBeUndefined();
  });
});

describe('pairing store failures', () => {
  const failing = (): PairingStore => ({
    ...createMemoryPairingStore(),
    listApproved: async () => {
      throw new Error('disk gone');
    },
    getPending: async () => {
      throw new Error('disk gone');
    },
  });

  it('a store read failure becomes pairingStoreUnavailable, which blocks without a challenge', async () => {
    const pairing = createPairing(failing());
    const facts = await pairing.readFacts('telegram', 'default');
    expect(facts).toEqual({ pairingStoreUnavailable: true });
    expect(decideAccess({}, dm('42'), facts)).toMatchObject({
      action: 'drop',
      reason: 'dm_policy_pairing_store_unavailable',
    });
  });

  it('a challenge on a failing store rejects with a PairingError, never a code', async () => {
    const error = await createPairing(failing())
      .challenge('telegram', 'default', '42')
      .catch((e: unknown) => e);
    expect(PairingError.isInstance(error)).toBe(true);
    expect((error as PairingError).code).toBe('store_failed');
  });

  it('invalid arguments are rejected with a PairingError', async () => {
    const { pairing } = setup();
    await expect(pairing.challenge('', 'default', '1')).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(pairing.challenge('telegram', 'default', '  ')).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(pairing.approve('telegram', 5 as never)).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('invalid options are a ConfigError', () => {
    const store = createMemoryPairingStore();
    expect(() => createPairing(store, { maxPending: 0 })).toThrow(ConfigError);
    expect(() => createPairing({} as never)).toThrow(ConfigError);
    const { getOwner: _g, setOwner: _s, ...noOwner } = store;
    expect(() => createPairing(noOwner, { bootstrapOwner: true })).toThrow(/getOwner/);
  });
});

describe('pairing reply', () => {
  it('names the sender id, the code and how to approve', () => {
    const text = formatPairingReply({
      channel: 'telegram',
      senderId: '42',
      code: 'ABCDEFGH',
      approveCommand: 'claw pairing approve telegram ABCDEFGH',
    });
    expect(text).toContain('Your telegram id: 42');
    expect(text).toContain('Pairing code: ABCDEFGH');
    expect(text).toContain('claw pairing approve telegram ABCDEFGH');
  });
});
