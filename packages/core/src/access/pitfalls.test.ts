/**
 * One test per security note of access.md §11 (and the surprises OpenClaw users reported).
 */

import { createDefaultIdentity, type IdentityHooks } from '@claw/channel-kit';
import { describe, expect, it } from 'vitest';
import { resolveToolPolicy } from '../tool-policy/resolve.js';
import { createAccessConfig } from './config.js';
import { decideAccess } from './decide.js';
import { dm, group } from './test-messages.js';

describe('§11.1 mutable identifiers are not identities', () => {
  it('a display name equal to an allowlisted id does not get in', () => {
    const c = createAccessConfig({
      channels: { discord: { groupPolicy: 'allowlist', groupAllowFrom: ['111'] } },
    });
    const msg = group('c1', '999', {
      channel: 'discord',
      sender: { name: '111', username: '111' },
      mentions: { self: true },
    });
    expect(decideAccess(c, msg).reason).toBe('not_allowlisted');
  });

  it('a Telegram @username entry admits nobody', () => {
    const c = createAccessConfig({
      channels: { telegram: { dmPolicy: 'allowlist', allowFrom: ['@alice', '1'] } },
    });
    expect(decideAccess(c, dm('42', { sender: { username: 'alice' } })).action).toBe('drop');
  });

  it("a sender whose display name is a victim's id does not inherit the victim's toolsBySender grant", () => {
    const config = {
      channels: {
        telegram: {
          groups: {
            '-1': { tools: { deny: ['exec'] }, toolsBySender: { 'id:42': { alsoAllow: ['exec'] } } },
          },
        },
      },
    };
    const policy = resolveToolPolicy({
      config,
      channel: 'telegram',
      groupId: '-1',
      sender: { id: '7', name: '42' },
    });
    expect(policy.isAllowed('exec')).toBe(false);
  });
});

describe('§11.2 the pairing store is DM-only', () => {
  it('a paired sender is not admitted to groups', () => {
    const c = createAccessConfig({ channels: { telegram: { groups: { '*': {} } } } });
    expect(
      decideAccess(c, group('-1', '42', { mentions: { self: true } }), { pairingAllowFrom: ['42'] }).action,
    ).toBe('drop');
  });

  it('switching from pairing to allowlist does not keep admitting old pairing contacts', () => {
    const c = createAccessConfig({ channels: { telegram: { dmPolicy: 'allowlist', allowFrom: ['1'] } } });
    expect(decideAccess(c, dm('42'), { pairingAllowFrom: ['42'] }).action).toBe('drop');
  });

  it('an unreadable store blocks instead of challenging', () => {
    expect(decideAccess({}, dm('42'), { pairingStoreUnavailable: true }).action).toBe('drop');
  });
});

describe('§11.3 fail closed', () => {
  it('an empty allowlist under allowlist blocks groups', () => {
    expect(decideAccess({}, group('-1', '1', { mentions: { self: true } })).action).toBe('drop');
  });

  it('an explicit empty per-group override blocks', () => {
    const c = createAccessConfig({ channels: { telegram: { groups: { '-1': { allowFrom: [] } } } } });
    expect(decideAccess(c, group('-1', '1', { mentions: { self: true } })).reason).toBe('route_sender_empty');
  });

  it('a channel without a config section gets allowlist groups even when channels.defaults says open', () => {
    const c = createAccessConfig({ channels: { defaults: { groupPolicy: 'open' } } });
    expect(decideAccess(c, group('-1', '1', { mentions: { self: true } })).reason).toBe('empty_allowlist');
  });

  it('an undefined sender never matches anything but the wildcard', () => {
    const c = createAccessConfig({ channels: { telegram: { groupAllowFrom: ['1'] } } });
    expect(decideAccess(c, group('-1', 'not-numeric', { mentions: { self: true } })).reason).toBe(
      'no_sender',
    );
  });

  it('open without "*" is refused at config time, so it can never admit strangers', () => {
    expect(() =>
      createAccessConfig({ channels: { telegram: { dmPolicy: 'open', allowFrom: ['1'] } } }),
    ).toThrow();
  });

  it('a throwing identity normaliser matches nothing instead of opening the list', () => {
    const broken: IdentityHooks = {
      normalizeEntry: () => {
        throw new Error('boom');
      },
      senderIds: () => ['1'],
    };
    const c = createAccessConfig({ channels: { telegram: { dmPolicy: 'allowlist', allowFrom: ['1'] } } });
    expect(decideAccess(c, dm('1'), { identity: broken }).action).toBe('drop');
  });
});

describe('§11.4 normalisation pitfalls', () => {
  it('a WhatsApp entry without digits does not match a non-phone sender', () => {
    const c = createAccessConfig({
      channels: { whatsapp: { dmPolicy: 'allowlist', allowFrom: ['owner', '+15550001111'] } },
    });
    expect(decideAccess(c, dm('lid-user', { channel: 'whatsapp' })).action).toBe('drop');
  });

  it('entries are trimmed, but a padded sender id is not silently trimmed into a match', () => {
    const c = createAccessConfig({ channels: { slack: { dmPolicy: 'allowlist', allowFrom: ['  U1  '] } } });
    expect(decideAccess(c, dm('U1', { channel: 'slack' })).action).toBe('dispatch');
    expect(decideAccess(c, dm('  U1  ', { channel: 'slack' })).action).toBe('drop');
  });

  it('prefixes are stripped once, anchored and case-insensitively', () => {
    const c = createAccessConfig({
      channels: { telegram: { dmPolicy: 'allowlist', allowFrom: ['TG:5', 'xtg:6'] } },
    });
    expect(decideAccess(c, dm('5')).action).toBe('dispatch');
    expect(decideAccess(c, dm('6')).action).toBe('drop');
  });

  it('zero-width characters cannot forge a mention boundary', () => {
    const c = createAccessConfig({
      channels: { telegram: { groupPolicy: 'open' } },
      messages: { groupChat: { mentionPatterns: ['\\bclaw\\b'] } },
    });
    expect(decideAccess(c, group('-1', '1', { text: 'my\u200Bclaw' })).reason).toBe('no_mention');
  });
});

describe('§11.5 regex risks', () => {
  it('a catastrophic mention pattern is a config error, not a stalled event loop', () => {
    expect(() => createAccessConfig({ messages: { groupChat: { mentionPatterns: ['(a+)+$'] } } })).toThrow(
      /backtrack catastrophically/,
    );
  });

  it('the agent name is escaped in derived patterns', () => {
    const c = createAccessConfig({
      channels: { telegram: { groupPolicy: 'open' } },
      agents: { list: [{ id: 'x', name: 'a.b' }] },
    });
    expect(decideAccess(c, group('-1', '1', { text: 'axb' }), { agentId: 'x' }).reason).toBe('no_mention');
    expect(decideAccess(c, group('-1', '1', { text: 'a.b?' }), { agentId: 'x' }).reason).toBe('mentioned');
  });
});

describe('§11.6 mention bypass', () => {
  const c = createAccessConfig({
    channels: { telegram: { groupPolicy: 'open', groupAllowFrom: ['1'] } },
    messages: { groupChat: { mentionPatterns: ['openclaw'] } },
  });

  it('"@Alice ask openclaw …" does not trigger the bot', () => {
    const d = decideAccess(
      c,
      group('-1', '1', { text: '@Alice ask openclaw', mentions: { users: ['alice'] } }),
    );
    expect(d.action).toBe('skip');
  });

  it('the command bypass needs an authorised sender', () => {
    expect(decideAccess(c, group('-1', '2', { text: '/status' })).action).toBe('drop');
    expect(decideAccess(c, group('-1', '1', { text: '/status' })).action).toBe('dispatch');
  });
});

describe('§11.7 commands', () => {
  it('an owner list ignores "*"', () => {
    const c = createAccessConfig({ channels: { telegram: { groupPolicy: 'open' } } });
    expect(decideAccess(c, group('-1', '1', { text: '/status' }), { ownerIds: ['*'] }).action).toBe('drop');
  });
});

describe('§11.2 / DESIGN: names only with the dangerous opt-in', () => {
  it('dangerouslyAllowNameMatching lets a typed name entry match, and only then', () => {
    const base = { groupPolicy: 'allowlist', groupAllowFrom: ['name:Alice'] };
    const msg = group('-1', 'u1', { channel: 'matrix', sender: { name: 'alice' }, mentions: { self: true } });
    expect(decideAccess(createAccessConfig({ channels: { matrix: base } }), msg).action).toBe('drop');
    const on = createAccessConfig({ channels: { matrix: { ...base, dangerouslyAllowNameMatching: true } } });
    expect(decideAccess(on, msg).action).toBe('dispatch');
    expect(decideAccess(on, msg, { identity: createDefaultIdentity() }).action).toBe('drop');
  });
});
