import { defineTool } from '@claw/provider-kit';
import { createMockModel } from '@claw/provider-kit/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { llmAgent } from '../agents/llm-agent.js';
import type { TurnContext } from '../agents/types.js';
import type { QueueMode } from '../stores/types.js';
import { createTestClaw } from '../testing/index.js';
import type { ClawConfig, QueueConfigInput } from './config.js';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function config(queue: QueueConfigInput): ClawConfig {
  return {
    channels: { test: { dmPolicy: 'open', allowFrom: ['*'], groupPolicy: 'open' } },
    messages: { queue },
  };
}

/**
 * A gateway whose first turn blocks until `release()`, so that later messages arrive while a
 * turn is running. Every turn is recorded with the texts it handled.
 */
function blockedGateway(queue: QueueConfigInput) {
  const gate = deferred();
  const turns: string[][] = [];
  const t = createTestClaw({
    config: config(queue),
    agents: {
      main: async (ctx: TurnContext) => {
        const texts = ctx.messages.map((m) => m.text);
        turns.push(texts);
        if (turns.length === 1) await gate.promise;
        return texts.join(' + ');
      },
    },
  });
  return { t, turns, release: () => gate.resolve() };
}

describe('queue modes', () => {
  it('followup (the default) runs messages that arrive during a turn as later turns, in order', async () => {
    const { t, turns, release } = blockedGateway({});
    await t.receive(t.channel.dm('1'));
    await t.receive(t.channel.dm('2'));
    await t.receive(t.channel.dm('3'));
    release();
    await t.idle();
    expect(turns).toEqual([['1'], ['2'], ['3']]);
    expect(t.replies().map((r) => r.message.text)).toEqual(['1', '2', '3']);
  });

  it('collect merges what waited into one turn, but never messages for different reply targets', async () => {
    // dmScope main: alice and bob share one session, but not one reply target.
    const { t, turns, release } = blockedGateway({ mode: 'collect' });
    await t.receive(t.channel.dm('1', { sender: 'alice' }));
    await t.receive(t.channel.dm('2', { sender: 'alice' }));
    await t.receive(t.channel.dm('3', { sender: 'alice' }));
    await t.receive(t.channel.dm('4', { sender: 'bob' }));
    release();
    await t.idle();
    expect(turns).toEqual([['1'], ['2', '3'], ['4']]);
    expect(t.replies({ peerId: 'alice' }).map((r) => r.message.text)).toEqual(['1', '2 + 3']);
    expect(t.replies({ peerId: 'bob' }).map((r) => r.message.text)).toEqual(['4']);
  });

  it('interrupt aborts the running turn through its signal, drops what waited, and runs the newest', async () => {
    const turns: string[] = [];
    const t = createTestClaw({
      config: config({ mode: 'interrupt' }),
      agents: {
        main: async (ctx: TurnContext) => {
          const text = ctx.messages[0]!.text;
          turns.push(text);
          if (text === 'long task') {
            await new Promise((_, reject) => {
              ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
            });
          }
          return `done: ${text}`;
        },
      },
    });
    const first = await t.receive(t.channel.dm('long task'));
    const second = await t.receive(t.channel.dm('never mind, do this'));
    await t.idle();
    expect(turns).toEqual(['long task', 'never mind, do this']);
    expect((await first.done)[0]).toMatchObject({ status: 'aborted' });
    expect((await second.done)[0]).toMatchObject({ status: 'completed' });
    expect(t.events('turn:end').map((e) => e.status)).toEqual(['aborted', 'completed']);
    // An interrupted turn is not a failure: no apology, no error event.
    expect(t.replies().map((r) => r.message.text)).toEqual(['done: never mind, do this']);
    expect(t.events('error')).toEqual([]);
  });

  it('steer hands a message to the running turn, which the tool loop reads between steps', async () => {
    const toolGate = deferred();
    const toolStarted = deferred();
    const slow = defineTool({
      name: 'lookup',
      description: 'Looks something up slowly.',
      input: z.object({ query: z.string() }),
      async execute() {
        toolStarted.resolve();
        await toolGate.promise;
        return 'found it';
      },
    });
    const model = createMockModel((request, call) =>
      call === 0
        ? { toolCalls: [{ toolName: 'lookup', input: { query: 'flights' } }] }
        : { text: `answered ${request.messages.length} messages` },
    );
    const t = createTestClaw({
      config: config({ mode: 'steer' }),
      agents: { main: llmAgent({ model, tools: [slow], spawn: false }) },
    });
    const first = await t.receive(t.channel.dm('book a flight'));
    await t.settle(toolStarted.promise);
    const second = await t.receive(t.channel.dm('make it Tuesday'));
    toolGate.resolve();
    await t.idle();

    expect(t.events('turn:start')).toHaveLength(1);
    expect((await second.done)[0]).toMatchObject({ status: 'steered', handledBy: first.turnId });
    const secondRequest = model.requests[1]!;
    expect(secondRequest.messages.at(-1)).toEqual({ role: 'user', content: 'make it Tuesday' });
    expect(t.replies().map((r) => r.message.text)).toEqual(['answered 4 messages']);
    const transcript = await t.stores.transcripts.read(first.sessionKey!);
    expect(transcript.filter((e) => e.role === 'user').map((e) => e.text)).toEqual([
      'book a flight',
      'make it Tuesday',
    ]);
  });

  it('steer falls back to a follow-up turn when the running turn never reads its inbox', async () => {
    const { t, turns, release } = blockedGateway({ mode: 'steer' });
    await t.receive(t.channel.dm('1'));
    const steered = await t.receive(t.channel.dm('2'));
    release();
    await t.idle();
    expect(turns).toEqual([['1'], ['2']]);
    expect((await steered.done)[0]!.status).toBe('completed');
  });

  it('a full queue with drop policy "new" refuses the newest message and reports it', async () => {
    const { t, turns, release } = blockedGateway({ cap: 1, drop: 'new' });
    await t.receive(t.channel.dm('1'));
    await t.receive(t.channel.dm('2'));
    const refused = await t.receive(t.channel.dm('3', { messageId: 'refused' }));
    release();
    await t.idle();
    expect(refused).toMatchObject({ status: 'dropped', reason: 'queue_full' });
    expect((await refused.done)[0]).toMatchObject({ status: 'dropped', reason: 'cap' });
    expect(t.events('message:unprocessed')).toEqual([
      expect.objectContaining({ messageId: 'refused', reason: 'cap' }),
    ]);
    expect(turns).toEqual([['1'], ['2']]);
  });

  it('a full queue with drop policy "summarize" drops the oldest but tells the next turn what it missed', async () => {
    const overflows: unknown[] = [];
    const gate = deferred();
    let calls = 0;
    const t = createTestClaw({
      config: config({ cap: 1, drop: 'summarize' }),
      agents: {
        main: async (ctx: TurnContext) => {
          overflows.push(ctx.overflow);
          if (calls++ === 0) await gate.promise;
          return 'ok';
        },
      },
    });
    await t.receive(t.channel.dm('1'));
    const dropped = await t.receive(t.channel.dm('2   with   spaces'));
    await t.receive(t.channel.dm('3'));
    gate.resolve();
    await t.idle();
    expect((await dropped.done)[0]).toMatchObject({ status: 'dropped', reason: 'cap' });
    expect(overflows).toEqual([undefined, { dropped: 1, summaries: ['2 with spaces'] }]);
  });

  it("a session's /queue override wins over the config, and byChannel over the global mode", async () => {
    const { t, turns, release } = blockedGateway({ mode: 'followup', byChannel: { test: 'collect' } });
    await t.receive(t.channel.dm('1'));
    await t.receive(t.channel.dm('2'));
    await t.receive(t.channel.dm('3'));
    release();
    await t.idle();
    expect(turns).toEqual([['1'], ['2', '3']]);

    const second = blockedGateway({ mode: 'collect' });
    const probe = await second.t.receive(second.t.channel.dm('1'));
    const mode: QueueMode = 'followup';
    await second.t.stores.sessions.update(probe.sessionKey!, { queueMode: mode }, second.t.clock.now());
    await second.t.receive(second.t.channel.dm('2'));
    await second.t.receive(second.t.channel.dm('3'));
    second.release();
    await second.t.idle();
    expect(second.turns).toEqual([['1'], ['2'], ['3']]);
  });

  it('runs different sessions in parallel while each session runs one turn at a time', async () => {
    const gate = deferred();
    const running = new Set<string>();
    let peak = 0;
    let overlaps = 0;
    const t = createTestClaw({
      config: config({}),
      agents: {
        main: async (ctx: TurnContext) => {
          if (running.has(ctx.sessionKey)) overlaps++;
          running.add(ctx.sessionKey);
          peak = Math.max(peak, running.size);
          await gate.promise;
          running.delete(ctx.sessionKey);
          return 'ok';
        },
      },
    });
    for (const sender of ['a', 'b', 'c']) {
      await t.receive(t.channel.group('@bot x', { groupId: `g-${sender}`, mention: true }));
      await t.receive(t.channel.group('@bot y', { groupId: `g-${sender}`, mention: true }));
    }
    expect(peak).toBe(3);
    gate.resolve();
    await t.idle();
    expect(overlaps).toBe(0);
    expect(t.replies()).toHaveLength(6);
  });
});
