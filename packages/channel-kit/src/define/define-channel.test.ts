import { describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../adapter/types.js';
import { defaultCapabilities } from '../capabilities/types.js';
import { InvalidAdapterError } from '../errors/invalid-adapter-error.js';
import { type ChannelAdapterDefinition, defineChannel } from './define-channel.js';

const minimal = {
  specificationVersion: 'v1',
  id: 'my-platform',
  capabilities: {},
  send: async () => ({ messageId: '1' }),
} satisfies ChannelAdapterDefinition;

function problems(run: () => unknown): { path: string; message: string }[] {
  try {
    run();
  } catch (error) {
    expect(InvalidAdapterError.isInstance(error)).toBe(true);
    return [...(error as InvalidAdapterError).issues];
  }
  throw new Error('expected defineChannel to throw');
}

describe('defineChannel', () => {
  it('fills every omitted capability from the defaults and returns a frozen adapter', () => {
    const adapter: ChannelAdapter = defineChannel({
      ...minimal,
      capabilities: { threads: true, textChunkLimit: 2000 },
    });
    expect(adapter.capabilities).toEqual({ ...defaultCapabilities, threads: true, textChunkLimit: 2000 });
    expect(Object.isFrozen(adapter)).toBe(true);
    expect(Object.isFrozen(adapter.capabilities)).toBe(true);
    expect(Object.isFrozen(adapter.capabilities.chatTypes)).toBe(true);
  });

  it('keeps the adapter working: methods still see their own state, also on a class instance', async () => {
    class Counter {
      readonly specificationVersion = 'v1' as const;
      readonly id = 'counter';
      readonly capabilities = {};
      private sent = 0;
      async send(..._args: unknown[]) {
        this.sent += 1;
        return { messageId: String(this.sent) };
      }
    }
    const adapter = defineChannel(new Counter());
    const ctx = { idempotencyKey: 'k', signal: new AbortController().signal };
    const target = { channel: 'counter', accountId: 'default', peer: { kind: 'direct' as const, id: 'u' } };
    await adapter.send(target, { text: 'a' }, ctx);
    expect(await adapter.send(target, { text: 'b' }, ctx)).toEqual({ messageId: '2' });
  });

  it('accepts an already defined adapter again (defining is idempotent)', () => {
    const once = defineChannel({ ...minimal, capabilities: { markdown: true } });
    expect(defineChannel(once).capabilities).toEqual(once.capabilities);
  });

  it('rejects a missing id, a wrong specification version and a missing send, all in one error', () => {
    const issues = problems(() => defineChannel({ capabilities: {} } as never));
    expect(issues.map((i) => i.path).sort()).toEqual(['id', 'send', 'specificationVersion']);
  });

  it.each(['Telegram', 'my platform', '', 'a:b', 'x'.repeat(65)])('rejects the channel id %j', (id) => {
    const issues = problems(() => defineChannel({ ...minimal, id }));
    expect(issues).toEqual([{ path: 'id', message: expect.stringMatching(/lowercase letters, digits/) }]);
  });

  it('rejects a non-object adapter and missing capabilities with a hint', () => {
    expect(problems(() => defineChannel(null as never))[0]!.message).toMatch(/must be an adapter object/);
    const issues = problems(() => defineChannel({ ...minimal, capabilities: undefined as never }));
    expect(issues).toEqual([
      { path: 'capabilities', message: expect.stringMatching(/use \{\} to accept every default/) },
    ]);
  });

  it('names malformed capabilities by path, and an unknown flag (a typo) lists the allowed ones', () => {
    const issues = problems(() =>
      defineChannel({
        ...minimal,
        capabilities: {
          thread: true,
          textChunkLimit: 0,
          chatTypes: [],
          edit: 'yes',
          rateLimits: { globalPerSecond: -1 },
        } as never,
      }),
    );
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i.message]));
    expect(Object.keys(byPath).sort()).toEqual([
      'capabilities',
      'capabilities.chatTypes',
      'capabilities.edit',
      'capabilities.rateLimits.globalPerSecond',
      'capabilities.textChunkLimit',
    ]);
    expect(byPath['capabilities']).toMatch(
      /unknown capability flag\(s\) "thread"; allowed: chatTypes, threads/,
    );
    expect(byPath['capabilities.textChunkLimit']).toMatch(/positive integer/);
  });

  it.each([
    ['edit', 'edit'],
    ['reactions', 'react'],
    ['typing', 'setTyping'],
  ] as const)('rejects %s: true without %s()', (flag, method) => {
    const issues = problems(() => defineChannel({ ...minimal, capabilities: { [flag]: true } }));
    expect(issues).toEqual([
      { path: `capabilities.${flag}`, message: expect.stringContaining(`${method}() is not implemented`) },
    ]);
  });

  it.each([
    ['edit', 'edit'],
    ['reactions', 'react'],
    ['typing', 'setTyping'],
  ] as const)(
    'rejects %s() implemented while %s is not declared, since the core would never call it',
    (flag, method) => {
      const issues = problems(() => defineChannel({ ...minimal, [method]: async () => {} }));
      expect(issues).toEqual([
        {
          path: method,
          message: expect.stringContaining(`capabilities.${flag} is not declared (defaults to false)`),
        },
      ]);
      const explicit = problems(() =>
        defineChannel({ ...minimal, capabilities: { [flag]: false }, [method]: async () => {} }),
      );
      expect(explicit[0]!.message).toContain(`capabilities.${flag} is false`);
    },
  );

  it('accepts a feature switched off by dropping both the flag and the method', () => {
    const full = { ...minimal, capabilities: { edit: true }, edit: async () => {} };
    const switchedOff = {
      ...full,
      capabilities: { edit: false },
      edit: undefined,
    } as unknown as ChannelAdapterDefinition;
    expect(() => defineChannel(switchedOff)).not.toThrow();
  });

  it('rejects start() without stop(), and optional members that are not functions', () => {
    const issues = problems(() =>
      defineChannel({
        ...minimal,
        start: async () => {},
        conversationId: 'x' as never,
        identity: { senderIds: () => [] } as never,
      }),
    );
    expect(issues.map((i) => i.path).sort()).toEqual(['conversationId', 'identity.normalizeEntry', 'stop']);
  });

  it('rejects forum topics on a channel without groups', () => {
    const issues = problems(() =>
      defineChannel({ ...minimal, capabilities: { topics: true, chatTypes: ['direct'] } }),
    );
    expect(issues).toEqual([
      { path: 'capabilities.topics', message: expect.stringMatching(/forum topics live in groups/) },
    ]);
  });

  it('puts the adapter id and every problem in the error message', () => {
    try {
      defineChannel({ ...minimal, capabilities: { edit: true, textChunkLimit: -1 } });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/^Invalid channel adapter "my-platform" \(1 problem\):\n/);
      expect((error as InvalidAdapterError).adapterId).toBe('my-platform');
    }
  });
});
