import { describe, expect, it } from 'vitest';
import { createAccessConfig } from './config.js';
import { decideAccess } from './decide.js';
import { AccessReasons, describeAccessReason } from './reasons.js';
import { dm, group } from './test-messages.js';

const config = createAccessConfig({
  channels: {
    telegram: {
      groupAllowFrom: ['42'],
      groups: { '*': { requireMention: true }, '-100': { requireMention: false } },
    },
  },
});

describe('decision explanations', () => {
  it('explain() lists every gate passed, in order, with the list and entry that matched', () => {
    const trace = decideAccess(config, group('-100', '42')).explain();
    expect(trace.map((s) => [s.gate, s.outcome])).toEqual([
      ['group_policy', 'pass'],
      ['group_route', 'pass'],
      ['group_sender', 'pass'],
      ['mention', 'decide'],
    ]);
    expect(trace[1]).toMatchObject({ list: 'channels.telegram.groups.-100', entry: '-100' });
    expect(trace[2]).toMatchObject({ list: 'channels.telegram.groupAllowFrom', entry: '42' });
    expect(trace[3]).toMatchObject({
      reason: 'mention_not_required',
      list: 'channels.telegram.groups.-100.requireMention',
    });
  });

  it('the blocking gate is the last step, with the reason in plain words', () => {
    const trace = decideAccess(config, group('-100', '7')).explain();
    const last = trace[trace.length - 1]!;
    expect(last).toMatchObject({ gate: 'group_sender', outcome: 'block', reason: 'not_allowlisted' });
    expect(last.detail).toContain('not on the group sender list');
    expect(last.detail).toContain('channels.telegram.groupAllowFrom');
  });

  it('a decision survives a JSON round trip (apart from its functions)', () => {
    const d = decideAccess(config, group('-100', '42'));
    const copy = JSON.parse(JSON.stringify(d));
    expect(copy).toMatchObject({ action: 'dispatch', reason: 'mention_not_required', chatType: 'group' });
    expect(JSON.parse(JSON.stringify(d.explain()))).toEqual(d.explain());
  });

  it('every reason code has a description', () => {
    for (const r of Object.values(AccessReasons)) expect(describeAccessReason(r)).not.toBe(r);
  });

  it('reason codes are stable strings', () => {
    expect(AccessReasons).toMatchObject({
      DM_POLICY_PAIRING_REQUIRED: 'dm_policy_pairing_required',
      GROUP_POLICY_DISABLED: 'group_policy_disabled',
      NOT_ALLOWLISTED: 'not_allowlisted',
      NO_MENTION: 'no_mention',
    });
  });

  it('a DM explanation names the policy source', () => {
    const trace = decideAccess(config, dm('9')).explain();
    expect(trace).toEqual([
      expect.objectContaining({ gate: 'dm_policy', outcome: 'block', reason: 'dm_policy_pairing_required' }),
    ]);
  });
});
