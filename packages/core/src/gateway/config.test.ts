import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/index.js';
import { compileClawConfig } from './config.js';

function issuesOf(config: unknown): { path: string; message: string }[] {
  try {
    compileClawConfig(config as never);
  } catch (error) {
    if (ConfigError.isInstance(error)) return [...error.issues];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('keys that belong to no module', () => {
  it('an unknown session key is a config error, not silently ignored (e.g. the legacy session.scope)', () => {
    const issues = issuesOf({ session: { dmScope: 'per-channel-peer', scope: 'global' } });
    expect(issues).toEqual([
      { path: 'session.scope', message: expect.stringContaining('session takes dmScope, groupScope') },
    ]);
  });

  it("an unknown key under agents or in an agent entry is reported by path (e.g. V4's agents.entries)", () => {
    const issues = issuesOf({
      agents: {
        entries: {},
        list: [
          { id: 'main', default: true },
          { id: 'ops', modle: 'x' },
        ],
      },
    });
    expect(issues.map((i) => i.path).sort()).toEqual(['agents.entries', 'agents.list.1.modle']);
  });

  it('every key some module owns is accepted', () => {
    expect(() =>
      compileClawConfig({
        agents: {
          list: [
            { id: 'main', default: true, name: 'Claw', groupChat: { mentionPatterns: ['claw'] }, tools: {} },
          ],
        },
        session: { dmScope: 'per-peer', groupScope: 'per-group', mainKey: 'main', identityLinks: {} },
      }),
    ).not.toThrow();
  });
});
