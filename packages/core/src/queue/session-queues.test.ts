import type { ReplyTarget } from '@claw/channel-kit';
import { describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../errors/index.js';
import { SessionQueueError } from './session-queue-error.js';
import { createSessionQueues, summaryLine } from './session-queues.js';
import type { SessionQueuesOptions, SessionTurn } from './types.js';

interface Msg {
  readonly text: string;
}

const target = (peer = 'g1', threadId?: string, replyTo?: string): ReplyTarget => ({
  channel: 'test',
  accountId: 'default',
  peer: { kind: 'group', id: peer },
  ...(threadId === undefined ? {} : { threadId }),
  ...(replyTo === undefined ? {} : { replyToMessageId: replyTo }),
});

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const flush = () => new Promise((r) => setImmediate(r));

/**
 * Queues whose turns wait until the test releases them: `gate(id)` resolves the turn with that id.
 * Records every turn as it starts.
 */
function harness(options: Partial<SessionQueuesOptions<Msg>> = {}) {
  const turns: SessionTurn<Msg>[] = [];
  const gates = new Map<string, ReturnType<typeof deferred<void>>>();
  let active = 0;
  let maxActive = 0;
  const queues = createSessionQueues<Msg>({
    run: async (turn) => {
      turns.push(turn);
      active++;
      maxActive = Math.max(maxActive, active);
      const gate = deferred();
      gates.set(turn.id, gate);
      try {
        await gate.promise;
      } finally {
        active--;
      }
    },
    ...options,
  });
  let n = 0;
  const add = (
    sessionKey: string,
    text: string,
    extra: {
      target?: ReplyTarget;
      mode?: 'followup' | 'collect' | 'interrupt' | 'steer';
      lane?: 'main' | 'background';
    } = {},
  ) =>
    queues.enqueue(
      {
        sessionKey,
        target: extra.target ?? target(),
        payload: { text },
        id: `${text}#${++n}`,
        ...(extra.lane ? { lane: extra.lane } : {}),
      },
      extra.mode === undefined ? undefined : { mode: extra.mode },
    );
  const release = async (index: number) => {
    await flush();
    const turn = turns[index];
    if (turn === undefined) throw new Error(`turn ${index} has not started`);
    gates.get(turn.id)!.resolve();
    await flush();
  };
  const texts = (turn: SessionTurn<Msg> | undefined) => turn?.items.map((i) => i.payload.text);
  return { queues, turns, add, release, texts, maxActive: () => maxActive };
}

describe('session queues', () => {
  it('run the turns of one session one at a time, in arrival order', async () => {
    const h = harness();
    h.add('s', 'a');
    h.add('s', 'b');
    h.add('s', 'c');
    await flush();
    expect(h.turns.map(h.texts)).toEqual([['a']]);
    await h.release(0);
    expect(h.turns.map(h.texts)).toEqual([['a'], ['b']]);
    await h.release(1);
    await h.release(2);
    expect(h.turns.map(h.texts)).toEqual([['a'], ['b'], ['c']]);
    expect(h.maxActive()).toBe(1);
  });

  it('run different sessions in parallel, never more than the lane allows', async () => {
    const h = harness({ concurrency: { main: 2 } });
    for (const s of ['s1', 's2', 's3', 's4']) h.add(s, s);
    await flush();
    expect(h.turns).toHaveLength(2);
    expect(h.queues.running).toBe(2);
    await h.release(0);
    expect(h.turns).toHaveLength(3);
    await h.release(1);
    await h.release(2);
    await h.release(3);
    expect(h.maxActive()).toBe(2);
  });

  it('give background work its own lane, so it cannot starve conversations', async () => {
    const h = harness({ concurrency: { main: 1, background: 1 } });
    h.add('bg1', 'heavy', { lane: 'background' });
    h.add('bg2', 'heavier', { lane: 'background' });
    h.add('chat', 'hello');
    await flush();
    expect(h.turns.map(h.texts)).toEqual([['heavy'], ['hello']]);
    expect(h.turns.map((t) => t.lane)).toEqual(['background', 'main']);
  });

  it('send a busy session to the back of its lane after each turn, so waiting sessions go first', async () => {
    const h = harness({ concurrency: { main: 1 } });
    h.add('s1', 'a');
    h.add('s1', 'b');
    h.add('s2', 'c');
    h.add('s3', 'd');
    for (let i = 0; i < 4; i++) await h.release(i);
    expect(h.turns.map(h.texts)).toEqual([['a'], ['c'], ['d'], ['b']]);
    expect(h.maxActive()).toBe(1);
  });

  it('keep the lane limit and run every turn when many sessions wait and turns fail', async () => {
    let active = 0;
    let maxActive = 0;
    const ran: string[] = [];
    const queues = createSessionQueues<Msg>({
      concurrency: { main: 3 },
      run: async (turn) => {
        active++;
        maxActive = Math.max(maxActive, active);
        ran.push(turn.items[0]!.payload.text);
        await flush();
        active--;
        if (ran.length % 4 === 0) throw new Error('handler failed');
      },
    });
    const expected: string[] = [];
    for (let i = 0; i < 60; i++) {
      const text = `m${i}`;
      expected.push(text);
      queues.enqueue({ sessionKey: `s${i % 7}`, target: target(), payload: { text } });
    }
    await queues.idle();
    expect([...ran].sort()).toEqual(expected.sort());
    expect(maxActive).toBe(3);
    // Later messages can still be queued and run after the lane went idle.
    queues.enqueue({ sessionKey: 's0', target: target(), payload: { text: 'late' } });
    await queues.idle();
    expect(ran.at(-1)).toBe('late');
  });

  it('release an idle session: nothing is kept once its queue is empty and its turn ended', async () => {
    const h = harness();
    h.add('s1', 'a');
    h.add('s2', 'b');
    expect(h.queues.activeSessions).toBe(2);
    await h.release(0);
    expect(h.queues.activeSessions).toBe(1);
    await h.release(1);
    expect(h.queues.activeSessions).toBe(0);
    expect(h.queues.queued).toBe(0);
    await expect(h.queues.idle()).resolves.toBeUndefined();
  });

  it('settle each message with its turn and outcome', async () => {
    const h = harness();
    const a = h.add('s', 'a');
    expect(a.status).toBe('queued');
    await h.release(0);
    await expect(a.settled).resolves.toEqual({ status: 'completed', turnId: a.id });
  });

  it('end a turn whose handler throws as failed, report it, and go on with the next one', async () => {
    const onError = vi.fn();
    let calls = 0;
    const queues = createSessionQueues<Msg>({
      run: () => {
        calls++;
        if (calls === 1) throw new Error('handler bug');
      },
      onError,
    });
    const first = queues.enqueue({ sessionKey: 's', target: target(), payload: { text: 'a' } });
    const second = queues.enqueue({ sessionKey: 's', target: target(), payload: { text: 'b' } });
    await expect(first.settled).resolves.toMatchObject({ status: 'failed' });
    await expect(second.settled).resolves.toMatchObject({ status: 'completed' });
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'handler bug' }),
      expect.objectContaining({ id: first.id }),
    );
  });

  describe('collect mode', () => {
    it('merge the messages that arrived during a turn into one turn', async () => {
      const h = harness({ defaults: { mode: 'collect' } });
      h.add('s', 'a');
      await flush();
      h.add('s', 'b');
      h.add('s', 'c');
      h.add('s', 'd');
      await h.release(0);
      expect(h.turns.map(h.texts)).toEqual([['a'], ['b', 'c', 'd']]);
      expect(h.turns[1]?.id).toBe(h.turns[1]?.items[0]?.id);
    });

    it('never merge messages for different reply targets, and keep arrival order', async () => {
      const h = harness({ defaults: { mode: 'collect' } });
      h.add('s', 'a', { target: target('g1') });
      await flush();
      h.add('s', 'b', { target: target('g1', undefined, 'm2') });
      h.add('s', 'c', { target: target('g1', 'thread-1') });
      h.add('s', 'd', { target: target('g1', 'thread-1') });
      h.add('s', 'e', { target: target('g1') });
      await h.release(0);
      await h.release(1);
      await h.release(2);
      expect(h.turns.map(h.texts)).toEqual([['a'], ['b'], ['c', 'd'], ['e']]);
      expect(h.turns[2]?.target.threadId).toBe('thread-1');
      expect(h.turns[3]?.target.threadId).toBeUndefined();
    });

    it('answer a merged turn as a reply to its newest message', async () => {
      const h = harness({ defaults: { mode: 'collect' } });
      h.add('s', 'a', { target: target('g1', undefined, 'm1') });
      await flush();
      h.add('s', 'b', { target: target('g1', undefined, 'm2') });
      h.add('s', 'c', { target: target('g1', undefined, 'm3') });
      await h.release(0);
      expect(h.turns[1]?.target.replyToMessageId).toBe('m3');
    });
  });

  describe('interrupt mode', () => {
    it('abort the running turn, drop what waited, and run the newest after the old turn returned', async () => {
      const onDrop = vi.fn();
      const h = harness({ onDrop });
      const a = h.add('s', 'a');
      await flush();
      const b = h.add('s', 'b');
      const c = h.add('s', 'c', { mode: 'interrupt' });
      expect(h.turns[0]?.signal.aborted).toBe(true);
      await expect(b.settled).resolves.toEqual({ status: 'dropped', reason: 'interrupted' });
      expect(onDrop).toHaveBeenCalledWith(
        expect.objectContaining({ reason: 'interrupted', items: [expect.objectContaining({ id: b.id })] }),
      );
      await flush();
      expect(h.turns).toHaveLength(1); // the aborted turn has not returned yet: no overlap
      await h.release(0);
      await expect(a.settled).resolves.toMatchObject({ status: 'aborted' });
      expect(h.turns.map(h.texts)).toEqual([['a'], ['c']]);
      expect(h.turns[1]?.signal.aborted).toBe(false);
      await h.release(1);
      await expect(c.settled).resolves.toMatchObject({ status: 'completed' });
    });
  });

  describe('steer mode', () => {
    it('hand a message to the running turn, which takes it between steps', async () => {
      const h = harness({ defaults: { mode: 'steer' } });
      h.add('s', 'a');
      await flush();
      const b = h.add('s', 'b');
      expect(b.status).toBe('steered');
      const turn = h.turns[0]!;
      expect(turn.steer.size).toBe(1);
      expect(turn.steer.take().map((i) => i.payload.text)).toEqual(['b']);
      await expect(b.settled).resolves.toEqual({ status: 'steered', turnId: turn.id });
      await h.release(0);
      expect(h.turns).toHaveLength(1);
      expect(h.queues.activeSessions).toBe(0);
    });

    it('run a steered message the turn never took as a follow-up, so nothing is lost', async () => {
      const h = harness({ defaults: { mode: 'steer' } });
      h.add('s', 'a');
      await flush();
      const b = h.add('s', 'b');
      await h.release(0);
      expect(h.turns.map(h.texts)).toEqual([['a'], ['b']]);
      await h.release(1);
      await expect(b.settled).resolves.toMatchObject({ status: 'completed', turnId: b.id });
    });

    it('let a handler wait for steered messages by iterating the inbox until the turn ends', async () => {
      const seen: string[] = [];
      const done = deferred();
      const queues = createSessionQueues<Msg>({
        defaults: { mode: 'steer' },
        run: async (turn) => {
          for await (const item of turn.steer) {
            seen.push(item.payload.text);
            if (seen.length === 2) break;
          }
          done.resolve();
        },
      });
      queues.enqueue({ sessionKey: 's', target: target(), payload: { text: 'start' } });
      await flush();
      queues.enqueue({ sessionKey: 's', target: target(), payload: { text: 'x' } });
      queues.enqueue({ sessionKey: 's', target: target(), payload: { text: 'y' } });
      await done.promise;
      await queues.idle();
      expect(seen).toEqual(['x', 'y']);
    });

    it('never steer a message from another conversation into the running turn', async () => {
      const h = harness({ defaults: { mode: 'steer' } });
      h.add('s', 'a', { target: target('g1') });
      await flush();
      const other = h.add('s', 'b', { target: target('g2') });
      expect(other.status).toBe('queued');
      expect(h.turns[0]?.steer.size).toBe(0);
      await h.release(0);
      expect(h.turns[1]?.target.peer.id).toBe('g2');
    });

    it('never let a steered message overtake one that is already waiting', async () => {
      const h = harness();
      h.add('s', 'a');
      await flush();
      h.add('s', 'b'); // followup, waits
      const c = h.add('s', 'c', { mode: 'steer' });
      expect(c.status).toBe('queued');
      await h.release(0);
      await h.release(1);
      expect(h.turns.map(h.texts)).toEqual([['a'], ['b'], ['c']]);
    });
  });

  describe('cap and drop policy', () => {
    it('drop the oldest waiting messages with policy old', async () => {
      const h = harness({ defaults: { cap: 2, drop: 'old' } });
      h.add('s', 'run');
      await flush();
      const w1 = h.add('s', 'w1');
      h.add('s', 'w2');
      h.add('s', 'w3');
      await expect(w1.settled).resolves.toEqual({ status: 'dropped', reason: 'cap' });
      await h.release(0);
      await h.release(1);
      await h.release(2);
      expect(h.turns.map(h.texts)).toEqual([['run'], ['w2'], ['w3']]);
      expect(h.turns[1]?.overflow).toBeUndefined();
    });

    it('refuse the new message with policy new', async () => {
      const h = harness({ defaults: { cap: 1, drop: 'new' } });
      h.add('s', 'run');
      await flush();
      h.add('s', 'w1');
      const refused = h.add('s', 'w2');
      expect(refused.status).toBe('dropped');
      await expect(refused.settled).resolves.toEqual({ status: 'dropped', reason: 'cap' });
      await h.release(0);
      await h.release(1);
      expect(h.turns.map(h.texts)).toEqual([['run'], ['w1']]);
    });

    it('hand one-line summaries of dropped messages to the next turn with policy summarize', async () => {
      const h = harness({ defaults: { cap: 2, drop: 'summarize' } });
      h.add('s', 'run');
      await flush();
      h.add('s', 'first   dropped\nmessage');
      h.add('s', 'second dropped');
      h.add('s', 'kept 1');
      h.add('s', 'kept 2');
      await h.release(0);
      expect(h.texts(h.turns[1])).toEqual(['kept 1']);
      expect(h.turns[1]?.overflow).toEqual({
        dropped: 2,
        summaries: ['first dropped message', 'second dropped'],
      });
      await h.release(1);
      expect(h.turns[2]?.overflow).toBeUndefined();
    });

    it('keep at most cap summary lines, the newest', async () => {
      const h = harness({ defaults: { cap: 1, drop: 'summarize' } });
      h.add('s', 'run');
      await flush();
      for (const t of ['d1', 'd2', 'd3', 'kept']) h.add('s', t);
      await h.release(0);
      expect(h.turns[1]?.overflow).toEqual({ dropped: 3, summaries: ['d3'] });
    });

    it('let a per-message override win over the defaults', async () => {
      const h = harness({ defaults: { mode: 'followup', cap: 20 } });
      h.add('s', 'run');
      await flush();
      h.add('s', 'w1');
      const refused = h.queues.enqueue(
        { sessionKey: 's', target: target(), payload: { text: 'w2' } },
        { cap: 1, drop: 'new' },
      );
      expect(refused.status).toBe('dropped');
    });
  });

  describe('stop', () => {
    it('refuse new messages, let running turns finish, and return what was still waiting', async () => {
      const h = harness();
      h.add('s', 'a');
      h.add('s', 'b');
      await flush();
      const stopping = h.queues.stop({ timeoutMs: 60_000 });
      expect(() => h.add('s', 'late')).toThrow(SessionQueueError);
      await h.release(0);
      const report = await stopping;
      expect(report.aborted).toEqual([]);
      expect(report.pending.map((i) => i.payload.text)).toEqual(['b']);
      expect(h.turns).toHaveLength(1);
      expect(h.queues.activeSessions).toBe(0);
    });

    it('abort turns that outlive the timeout and wait for them to return', async () => {
      const timeout = deferred();
      const h = harness({ sleep: () => timeout.promise });
      const a = h.add('s', 'a');
      await flush();
      const stopping = h.queues.stop({ timeoutMs: 5000 });
      timeout.resolve();
      await flush();
      expect(h.turns[0]?.signal.aborted).toBe(true);
      await h.release(0);
      const report = await stopping;
      expect(report.aborted).toEqual([a.id]);
      await expect(a.settled).resolves.toMatchObject({ status: 'aborted' });
    });

    it('return steered messages the stopped turn never took', async () => {
      const h = harness({ defaults: { mode: 'steer' } });
      h.add('s', 'a');
      await flush();
      const b = h.add('s', 'b');
      const stopping = h.queues.stop();
      await h.release(0);
      const report = await stopping;
      expect(report.pending.map((i) => i.id)).toEqual([b.id]);
      await expect(b.settled).resolves.toEqual({ status: 'stopped' });
    });
  });

  describe('input validation', () => {
    it('reject invalid options with a ConfigError listing every problem', () => {
      const error = (() => {
        try {
          createSessionQueues({
            run: 'no' as never,
            defaults: { mode: 'sometimes' as never, cap: 0 },
            concurrency: { main: 0, side: 1 } as never,
          });
        } catch (e) {
          return e;
        }
      })();
      expect(ConfigError.isInstance(error)).toBe(true);
      expect((error as ConfigError).issues.map((i) => i.path)).toEqual([
        'run',
        'defaults.mode',
        'defaults.cap',
        'concurrency.main',
        'concurrency.side',
      ]);
    });

    it('reject a malformed message, naming the field', () => {
      const queues = createSessionQueues<Msg>({ run: () => {} });
      expect(() => queues.enqueue({ sessionKey: '', target: target(), payload: { text: 'x' } })).toThrow(
        /sessionKey/,
      );
      expect(() =>
        queues.enqueue({ sessionKey: 's', target: { channel: 'x' } as never, payload: { text: 'x' } }),
      ).toThrow(/target\.accountId/);
      expect(() =>
        queues.enqueue(
          { sessionKey: 's', target: target(), payload: { text: 'x' } },
          { mode: 'later' as never },
        ),
      ).toThrow(/override\.mode/);
      expect(queues.activeSessions).toBe(0);
    });
  });

  it('cut summary lines to 160 characters without splitting a character', () => {
    const line = summaryLine(`${'é'.repeat(158)}😀😀😀`);
    expect(Array.from(line)).toHaveLength(160);
    expect(line.endsWith('…')).toBe(true);
    expect(summaryLine('  a \n\t b  ')).toBe('a b');
  });
});
