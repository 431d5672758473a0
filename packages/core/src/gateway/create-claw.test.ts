import { InvalidMessageError } from '@claw/channel-kit';
import { createTestChannel } from '@claw/channel-kit/testing';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/index.js';
import { createMemoryStores } from '../stores/index.js';
import { createTestClaw } from '../testing/index.js';
import { createClaw } from './create-claw.js';
import { UnknownChannelError } from './errors.js';

const reply = () => 'ok';

function configError(build: () => unknown): ConfigError {
  try {
    build();
  } catch (error) {
    if (ConfigError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('createClaw', () => {
  it('reports every problem of the config, the adapters and the handlers in one ConfigError', () => {
    const error = configError(() =>
      createClaw({
        config: {
          agents: { list: [{ id: 'main' }, { id: 'support' }] },
          bindings: [{ agentId: 'ghost', match: { channel: 'test' } }],
          channels: { test: { dmPolicy: 'sometimes' as 'open' } },
          messages: { queue: { mode: 'fifo' as 'followup' } },
          gateway: { concurrency: { main: 0 } },
          bogus: true,
        } as never,
        channels: [{ ...createTestChannel(), edit: undefined } as never],
        agents: { main: reply, ghost2: reply },
      }),
    );
    const paths = error.issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'bogus',
        'bindings.0.agentId',
        'channels.test.dmPolicy',
        'messages.queue.mode',
        'gateway.concurrency.main',
        'options.channels.0.capabilities.edit',
        'options.agents.support',
        'options.agents.ghost2',
      ]),
    );
    expect(error.message).toMatch(/problems/);
  });

  it('reports background run settings under gateway.background', () => {
    const error = configError(() =>
      createClaw({
        config: { gateway: { background: { maxChildrenPerSession: 0 } } },
        agents: { main: reply },
      }),
    );
    expect(error.issues.map((i) => i.path)).toEqual(['gateway.background.maxChildrenPerSession']);
  });

  it('needs a handler for every configured agent and an agent for every handler', () => {
    const missing = configError(() => createClaw({ agents: {} }));
    expect(missing.issues).toEqual([
      expect.objectContaining({ path: 'options.agents.main', message: expect.stringMatching(/no handler/) }),
    ]);
    const stray = configError(() => createClaw({ agents: { main: reply, helper: reply } }));
    expect(stray.issues).toEqual([
      expect.objectContaining({
        path: 'options.agents.helper',
        message: expect.stringMatching(/no agent "helper"/),
      }),
    ]);
  });

  it('rejects adapters registered under another id, twice, or not adapters at all', () => {
    const error = configError(() =>
      createClaw({
        agents: { main: reply },
        channels: { slack: createTestChannel(), other: 42 as never },
      }),
    );
    expect(error.issues.map((i) => i.path)).toEqual(['options.channels.slack', 'options.channels.other']);
    const twice = configError(() =>
      createClaw({ agents: { main: reply }, channels: [createTestChannel(), createTestChannel()] }),
    );
    expect(twice.issues[0]!.message).toMatch(/second adapter/);
  });

  it('works with no config: one agent, memory stores, the safe access defaults', async () => {
    const channel = createTestChannel();
    const claw = createClaw({ channels: [channel], agents: { main: reply } });
    // dmPolicy defaults to pairing: an unknown sender gets a code, not an answer.
    const receipt = await claw.receive(channel.dm('hi'));
    expect(receipt.status).toBe('pairing');
    await claw.idle();
    expect(channel.sent[0]!.message.text).toMatch(/Pairing code/);
  });

  it('refuses a malformed message with InvalidMessageError, and nothing else happens to it', async () => {
    const t = createTestClaw();
    const error = await t
      .receive({ channel: 'test', messageId: 'm1', text: 'no peer or sender' })
      .catch((e) => e);
    expect(InvalidMessageError.isInstance(error)).toBe(true);
    expect((error as InvalidMessageError).issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['peer', 'sender']),
    );
    expect(t.recorded).toEqual([]);
    // Nothing was claimed: the well-formed message with the same id runs.
    const { receipt } = await t.send(t.channel.dm('fixed', { messageId: 'm1' }));
    expect(receipt.status).toBe('dispatched');
  });

  it('refuses a message from a channel without an adapter, naming the channel', async () => {
    const t = createTestClaw();
    const error = await t.receive(createTestChannel({}, { id: 'slack' }).dm('hi')).catch((e) => e);
    expect(UnknownChannelError.isInstance(error)).toBe(true);
    expect((error as UnknownChannelError).channel).toBe('slack');
    expect((error as Error).message).toMatch(/"test"/);
    expect(t.recorded).toEqual([]);
  });

  it('routes channels referenced only by bindings without needing their adapters', () => {
    const claw = createClaw({
      config: {
        agents: { list: [{ id: 'main' }, { id: 'ops' }] },
        bindings: [{ agentId: 'ops', match: { channel: 'slack', teamId: 'T1' } }],
      },
      agents: { main: reply, ops: reply },
    });
    expect(
      claw.router.resolve({ channel: 'slack', teamId: 'T1', peer: { kind: 'channel', id: 'C1' } }).agentId,
    ).toBe('ops');
  });

  it('keeps case-insensitive channels case-insensitive in session keys', async () => {
    const slack = createTestChannel({ caseInsensitiveIds: true }, { id: 'slack' });
    const t = createTestClaw({
      config: { channels: { slack: { groupPolicy: 'open', groups: { '*': { requireMention: false } } } } },
      channels: slack,
    });
    const { receipt } = await t.send(slack.group('hi', { groupId: 'CHAN' }));
    expect(receipt.sessionKey).toBe('agent:main:slack:group:chan');
  });
  it('reports a failing transcript store as an error event and still answers', async () => {
    const channel = createTestChannel();
    const stores = createMemoryStores();
    const failure = new Error('disk full');
    const claw = createClaw({
      config: { channels: { test: { dmPolicy: 'open', allowFrom: ['*'] } } },
      channels: [channel],
      agents: { main: reply },
      stores: { ...stores, transcripts: { ...stores.transcripts, append: () => Promise.reject(failure) } },
    });
    const errors: { source: string; error: unknown; turnId?: string }[] = [];
    claw.on('error', (event) => errors.push(event));
    const receipt = await claw.receive(channel.dm('hi'));
    const [outcome] = await receipt.done;
    expect(outcome?.status).toBe('completed');
    expect(channel.sent.map((s) => s.message.text)).toEqual(['ok']);
    // The user's message and the reply: each write failed and was reported with the turn's ids.
    expect(errors.map((e) => [e.source, e.error, e.turnId])).toEqual([
      ['store', failure, receipt.turnId],
      ['store', failure, receipt.turnId],
    ]);
  });
});
