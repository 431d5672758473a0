import { InvalidMessageError } from '@claw/channel-kit';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/index.js';
import { createAccessConfig } from './config.js';
import { decideAccess } from './decide.js';
import { AccessReasons } from './reasons.js';
import { dm } from './test-messages.js';

const cfg = (telegram: Record<string, unknown>) => createAccessConfig({ channels: { telegram } });

describe('DM policy', () => {
  it('the default policy is pairing: an unknown sender gets a pairing challenge', () => {
    const d = decideAccess({}, dm('42'));
    expect(d.action).toBe('pairing');
    expect(d.reason).toBe(AccessReasons.DM_POLICY_PAIRING_REQUIRED);
  });

  it('under pairing, a sender on allowFrom is admitted', () => {
    const d = decideAccess(cfg({ allowFrom: ['42'] }), dm('42'));
    expect(d).toMatchObject({ action: 'dispatch', reason: 'dm_policy_allowlisted', chatType: 'direct' });
  });

  it('under pairing, a sender approved in the pairing store is admitted', () => {
    const d = decideAccess(cfg({}), dm('42'), { pairingAllowFrom: ['42'] });
    expect(d).toMatchObject({ action: 'dispatch', reason: 'dm_policy_allowlisted' });
    expect(d.explain()[0]).toMatchObject({ gate: 'dm_policy', list: 'pairing store', entry: '42' });
  });

  it('pairing store entries go through the channel normaliser', () => {
    const d = decideAccess(cfg({}), dm('42'), { pairingAllowFrom: ['tg:42'] });
    expect(d.action).toBe('dispatch');
  });

  it('a "*" in the pairing store never opens DMs', () => {
    expect(decideAccess(cfg({}), dm('42'), { pairingAllowFrom: ['*'] }).action).toBe('pairing');
  });

  it('under pairing, an unreadable store blocks the unknown sender without a challenge', () => {
    const d = decideAccess(cfg({}), dm('42'), { pairingStoreUnavailable: true });
    expect(d).toMatchObject({ action: 'drop', reason: 'dm_policy_pairing_store_unavailable' });
  });

  it('an unreadable store does not block a sender listed in config', () => {
    const d = decideAccess(cfg({ allowFrom: ['42'] }), dm('42'), { pairingStoreUnavailable: true });
    expect(d.action).toBe('dispatch');
  });

  it('under allowlist, an unlisted sender is dropped silently (no pairing)', () => {
    const d = decideAccess(cfg({ dmPolicy: 'allowlist', allowFrom: ['1'] }), dm('42'));
    expect(d).toMatchObject({ action: 'drop', reason: 'dm_policy_not_allowlisted' });
  });

  it('under allowlist, the pairing store is not consulted', () => {
    const d = decideAccess(cfg({ dmPolicy: 'allowlist', allowFrom: ['1'] }), dm('42'), {
      pairingAllowFrom: ['42'],
    });
    expect(d.reason).toBe('dm_policy_not_allowlisted');
  });

  it('under open with "*", everyone is admitted', () => {
    const d = decideAccess(cfg({ dmPolicy: 'open', allowFrom: ['*'] }), dm('42'));
    expect(d).toMatchObject({ action: 'dispatch', reason: 'dm_policy_open' });
  });

  it('under open, the pairing store is not consulted', () => {
    const d = decideAccess(cfg({ dmPolicy: 'open', allowFrom: ['*'] }), dm('42'), {
      pairingStoreUnavailable: true,
    });
    expect(d.reason).toBe('dm_policy_open');
  });

  it('under disabled, even a listed or paired sender is dropped', () => {
    const d = decideAccess(cfg({ dmPolicy: 'disabled', allowFrom: ['42'] }), dm('42'), {
      pairingAllowFrom: ['42'],
    });
    expect(d).toMatchObject({ action: 'drop', reason: 'dm_policy_disabled' });
  });

  it('"*" in allowFrom under pairing admits everyone', () => {
    expect(decideAccess(cfg({ allowFrom: ['*'] }), dm('42')).action).toBe('dispatch');
  });

  it('an account without its own dmPolicy inherits the channel one; an account setting overrides it', () => {
    const c = createAccessConfig({
      channels: {
        whatsapp: {
          dmPolicy: 'allowlist',
          allowFrom: ['+15550001111'],
          accounts: { personal: {}, shop: { dmPolicy: 'open', allowFrom: ['*'] } },
        },
      },
    });
    const stranger = { channel: 'whatsapp', sender: { e164: '+15559998888' } } as const;
    expect(
      decideAccess(c, dm('15559998888@s.whatsapp.net', { ...stranger, accountId: 'personal' })).action,
    ).toBe('drop');
    expect(decideAccess(c, dm('15559998888@s.whatsapp.net', { ...stranger, accountId: 'shop' })).action).toBe(
      'dispatch',
    );
  });

  it('pairing approvals are per account: the caller passes the approvals of the message account', () => {
    // The store is read per channel account; approvals of another account are simply not passed.
    const c = cfg({ accounts: { a: {}, b: {} } });
    expect(decideAccess(c, dm('42', { accountId: 'b' }), { pairingAllowFrom: [] }).action).toBe('pairing');
  });

  it('WhatsApp self-chat: a DM from the bot own number is admitted regardless of the allowlist', () => {
    const c = createAccessConfig({
      channels: { whatsapp: { dmPolicy: 'allowlist', allowFrom: ['+15550001111'] } },
    });
    const msg = dm('15552223333@s.whatsapp.net', { channel: 'whatsapp' });
    expect(decideAccess(c, msg, { bot: { e164: '+1 555 222 3333' } })).toMatchObject({
      action: 'dispatch',
      reason: 'dm_self_chat',
    });
    expect(decideAccess(c, msg).reason).toBe('dm_policy_not_allowlisted');
  });

  it('a control command in an admitted DM is authorised', () => {
    const d = decideAccess(cfg({ allowFrom: ['42'] }), dm('42', { text: '/status' }));
    expect(d.command).toEqual({ name: 'status', args: '' });
    expect(d.explain().map((s) => s.gate)).toEqual(['dm_policy', 'command']);
  });

  it('a DM dispatch carries the global and agent tool policy, never a group layer', () => {
    const c = createAccessConfig({
      tools: { deny: ['exec'] },
      agents: { list: [{ id: 'main', tools: { allow: ['group:fs', 'exec'] } }] },
      channels: { telegram: { allowFrom: ['42'], groups: { '*': { tools: { deny: ['read'] } } } } },
    });
    const policy = decideAccess(c, dm('42'), { agentId: 'main' }).toolPolicy!;
    expect(policy.layers.map((l) => l.source)).toEqual(['tools', 'agents.list.0.tools']);
    expect(policy.isAllowed('read')).toBe(true);
    expect(policy.isAllowed('exec')).toBe(false);
    expect(policy.isAllowed('web_search')).toBe(false);
  });
});

describe('decideAccess input checks', () => {
  it('a message without a sender id is an InvalidMessageError naming the field', () => {
    const bad = { ...dm('1'), sender: {} } as never;
    expect(() => decideAccess({}, bad)).toThrow(InvalidMessageError);
    try {
      decideAccess({}, bad);
    } catch (error) {
      expect((error as InvalidMessageError).issues.map((i) => i.path)).toEqual(['sender.id']);
    }
  });

  it('a message with an unknown peer kind is rejected', () => {
    expect(() => decideAccess({}, { ...dm('1'), peer: { kind: 'dm', id: '1' } } as never)).toThrow(
      InvalidMessageError,
    );
  });

  it('malformed facts are a ConfigError', () => {
    expect(() => decideAccess({}, dm('1'), { activation: 'sometimes' as never })).toThrow(ConfigError);
    expect(() => decideAccess({}, dm('1'), { identity: {} as never })).toThrow(ConfigError);
  });

  it('an invalid raw config throws a ConfigError', () => {
    expect(() => decideAccess({ channels: { telegram: { dmPolicy: 'nope' } } }, dm('1'))).toThrow(
      ConfigError,
    );
  });
});
