/**
 * Testing the DM pairing flow end to end, in memory, with a hand-moved clock: no timers, no
 * network, no real randomness needed.
 */
import { createAccessConfig, createMemoryPairingStore, createPairing, decideAccess } from '@claw/core';
import { describe, expect, it } from 'vitest';
import { dmOn, groupOn } from './messages.js';

const rules = createAccessConfig({ channels: { telegram: { groups: { '*': {} } } } });

describe('pairing a new contact', () => {
  it('challenge once, approve the code, then the contact may DM (and only DM)', async () => {
    let now = Date.UTC(2025, 0, 1);
    const pairing = createPairing(createMemoryPairingStore(), { now: () => now });
    const stranger = dmOn('telegram', '555');

    // 1. Unknown sender: the decision asks for pairing, the first challenge is new.
    const facts = await pairing.readFacts('telegram', 'default');
    expect(decideAccess(rules, stranger, facts).action).toBe('pairing');
    const first = await pairing.challenge('telegram', 'default', stranger.sender);
    expect(first.isNew).toBe(true);

    // 2. Writing again ten minutes later: same code, no second reply.
    now += 10 * 60_000;
    const again = await pairing.challenge('telegram', 'default', stranger.sender);
    expect(again).toMatchObject({ status: 'existing', isNew: false });

    // 3. The operator approves the code (case does not matter).
    if (first.status === 'limit_reached') throw new Error('no code issued');
    const approval = await pairing.approve('telegram', first.code.toLowerCase());
    expect(approval).toMatchObject({ senderId: '555', accountId: 'default' });

    // 4. DMs now pass; groups still do not.
    const after = await pairing.readFacts('telegram', 'default');
    expect(decideAccess(rules, stranger, after).action).toBe('dispatch');
    expect(
      decideAccess(rules, groupOn('telegram', '-1', '555', 'hi', { mentionsBot: true }), after).action,
    ).toBe('drop');
  });

  it('codes expire an hour after they were issued', async () => {
    let now = 0;
    const pairing = createPairing(createMemoryPairingStore(), { now: () => now });
    const challenge = await pairing.challenge('telegram', 'default', '555');
    if (challenge.status === 'limit_reached') throw new Error('no code issued');
    now += 60 * 60_000;
    expect(await pairing.approve('telegram', challenge.code)).toBeNull();
  });
});
