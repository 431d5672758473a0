import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/index.js';
import { createMemoryStores } from '../stores/index.js';
import { resolveToolPolicy } from '../tool-policy/index.js';
import {
  BackgroundRunsStoppedError,
  InvalidSpawnOptionsError,
  NestedSpawnError,
  SpawnLimitError,
} from './errors.js';
import { createBackgroundRuns } from './manager.js';
import { createHarness, dmTarget, flush, groupTarget, parentFor } from './test-support.js';

describe('spawning', () => {
  it('returns accepted with a child session key at once, before the child has run', async () => {
    const h = createHarness();
    const parent = parentFor(groupTarget('dev-team'));
    const accepted = await h.manager.spawn(parent, { task: 'analyse doc A', label: 'Doc A' });
    expect(accepted.status).toBe('accepted');
    expect(accepted.sessionKey).toBe(`agent:main:subagent:${accepted.runId}`);
    const record = await h.manager.get(accepted.runId);
    expect(record).toMatchObject({
      parentSessionKey: parent.sessionKey,
      childSessionKey: accepted.sessionKey,
      task: 'analyse doc A',
      label: 'Doc A',
      announced: false,
      target: parent.target,
      cleanup: 'keep',
    });
    expect(['accepted', 'running']).toContain(record?.status);
    await flush();
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]!.input).toMatchObject({
      runId: accepted.runId,
      agentId: 'main',
      childSessionKey: accepted.sessionKey,
      parentSessionKey: parent.sessionKey,
      task: 'analyse doc A',
      label: 'Doc A',
    });
    expect((await h.manager.get(accepted.runId))?.status).toBe('running');
    expect(h.channel.sent).toHaveLength(0);
  });

  it('runs the child as another agent when the spawn names one', async () => {
    const h = createHarness({ config: { agents: ['main', 'research'] } });
    const accepted = await h.manager.spawn(parentFor(dmTarget()), { task: 'dig', agentId: 'Research' });
    expect(accepted.sessionKey).toBe(`agent:research:subagent:${accepted.runId}`);
    await flush();
    expect(h.calls[0]!.input.agentId).toBe('research');
  });

  it('passes the model override and emits accepted, started, finished, announced with the parent trace ids', async () => {
    const h = createHarness();
    const parent = parentFor(groupTarget());
    const { runId } = await h.manager.spawn(parent, { task: 't', model: 'fast-model' });
    await flush();
    expect(h.calls[0]!.input.model).toBe('fast-model');
    h.endTurn(parent);
    h.calls[0]!.resolve('done');
    await h.manager.idle();
    expect(h.events.map((e) => e.name)).toEqual([
      'background:accepted',
      'background:started',
      'background:finished',
      'background:announced',
    ]);
    for (const { payload } of h.events) {
      expect(payload).toMatchObject({
        sessionKey: parent.sessionKey,
        agentId: 'main',
        turnId: parent.turnId,
      });
      expect(payload.run.runId).toBe(runId);
    }
    expect(h.events.map((e) => e.payload.run.status)).toEqual([
      'accepted',
      'running',
      'succeeded',
      'succeeded',
    ]);
  });
});

describe('announcing', () => {
  it('delivers the parent turn’s ack before the result, even when the child finishes first', async () => {
    const h = createHarness();
    const target = groupTarget('dev-team', 'ci');
    const parent = parentFor(target);
    const { runId } = await h.manager.spawn(parent, { task: 'why is CI red?', label: 'CI check' });
    await flush();
    h.calls[0]!.resolve('The lint step fails on main.');
    await flush();
    // The child is done but the parent turn is still running: the result waits for it.
    expect(h.channel.sent).toHaveLength(0);
    expect((await h.manager.get(runId))?.status).toBe('succeeded');
    await h.dispatcher.forTurn({ turnId: parent.turnId, target }).send('got it ✅');
    h.endTurn(parent);
    await h.manager.idle();
    expect(h.channel.sent.map((s) => s.message.text)).toEqual([
      'got it ✅',
      '✅ CI check finished\n\nThe lint step fails on main.',
    ]);
    expect(h.channel.sent.every((s) => s.target.threadId === 'ci' && s.target.peer.id === 'dev-team')).toBe(
      true,
    );
    expect(h.channel.sent[1]!.idempotencyKey).toBe(`announce:${runId}`);
    const record = await h.manager.get(runId);
    expect(record).toMatchObject({
      announced: true,
      status: 'succeeded',
      result: 'The lint step fails on main.',
    });
    expect(record?.announcedAt).toBe(h.clock.now());
  });

  it('announces as soon as the child finishes when no turn:end source is wired', async () => {
    const h = createHarness({ holdForTurns: false });
    await h.manager.spawn(parentFor(dmTarget()), { task: 'summarise' });
    await flush();
    h.calls[0]!.resolve('summary');
    await h.manager.idle();
    expect(h.channel.sent.map((s) => s.message.text)).toEqual(['✅ summarise finished\n\nsummary']);
  });

  it('waits for the parent turn at most announceHoldMs', async () => {
    const h = createHarness({ config: { announceHoldMs: 60_000 } });
    await h.manager.spawn(parentFor(dmTarget()), { task: 'x' });
    await flush();
    h.calls[0]!.resolve('r');
    await h.clock.advance(59_999);
    expect(h.channel.sent).toHaveLength(0);
    await h.clock.advance(1);
    await h.manager.idle();
    expect(h.channel.sent).toHaveLength(1);
  });

  it('announces a failing child as a short failure notice, without its partial output', async () => {
    const h = createHarness({ holdForTurns: false });
    const { runId } = await h.manager.spawn(parentFor(dmTarget()), { task: 'parse', label: 'Parser' });
    await flush();
    h.calls[0]!.reject(new Error('model overloaded'));
    await h.manager.idle();
    expect(h.channel.sent.map((s) => s.message.text)).toEqual(['❌ Parser failed: model overloaded']);
    expect(await h.manager.get(runId)).toMatchObject({
      status: 'failed',
      error: 'model overloaded',
      announced: true,
    });
  });

  it('posts nothing for a silent result but still marks the run announced', async () => {
    const h = createHarness({ holdForTurns: false });
    const { runId } = await h.manager.spawn(parentFor(dmTarget()), { task: 'quiet' });
    await flush();
    h.calls[0]!.resolve('  NO_REPLY ');
    await h.manager.idle();
    expect(h.channel.sent).toHaveLength(0);
    expect(await h.manager.get(runId)).toMatchObject({ announced: true });
  });

  it('cuts a result longer than maxResultChars and says so', async () => {
    const h = createHarness({ holdForTurns: false, config: { maxResultChars: 10 } });
    const { runId } = await h.manager.spawn(parentFor(dmTarget()), { task: 'long' });
    await flush();
    h.calls[0]!.resolve('0123456789abcdef');
    await h.manager.idle();
    expect((await h.manager.get(runId))?.result).toBe('0123456789\n\n[… result cut: 6 more characters]');
  });

  it('retries a transient delivery failure with backoff and posts the result once', async () => {
    const h = createHarness({ holdForTurns: false });
    const { runId } = await h.manager.spawn(parentFor(dmTarget()), { task: 'x' });
    await flush();
    // The dispatcher tries 3 times itself; all fail, so the announce retries after 1 s.
    h.channel.failNext(3, { reason: 'network' });
    h.calls[0]!.resolve('result');
    await h.clock.advance(10_000);
    await h.manager.idle();
    expect(h.channel.sent).toHaveLength(1);
    expect(h.channel.attempts.filter((a) => a.error !== undefined)).toHaveLength(3);
    expect(await h.manager.get(runId)).toMatchObject({ announced: true });
    expect(h.events.some((e) => e.name === 'background:failed')).toBe(false);
  });

  it('gives up at once on a permanent failure and reports it as background:failed', async () => {
    const h = createHarness({ holdForTurns: false });
    const { runId } = await h.manager.spawn(parentFor(dmTarget()), { task: 'x' });
    await flush();
    h.channel.failNext(1, { reason: 'forbidden' });
    h.calls[0]!.resolve('result');
    await h.manager.idle();
    expect(h.channel.sent).toHaveLength(0);
    const failed = h.events.filter((e) => e.name === 'background:failed');
    expect(failed).toHaveLength(1);
    expect(String((failed[0]!.payload.error as Error).message)).toMatch(
      /failed \(permanent\) after 1 attempt/,
    );
    const record = await h.manager.get(runId);
    expect(record?.announced).toBe(false);
    expect(record?.meta?.['background']).toMatchObject({
      announceAttempts: 1,
      announceGaveUpAt: h.clock.now(),
    });
  });

  it('gives up on a platform that keeps failing after the configured attempts', async () => {
    const h = createHarness({
      holdForTurns: false,
      config: { announceRetry: { attempts: 3, baseDelayMs: 1000, maxDelayMs: 2000 } },
    });
    await h.manager.spawn(parentFor(dmTarget()), { task: 'x' });
    await flush();
    h.channel.failNext(100, { reason: 'network' });
    h.calls[0]!.resolve('result');
    await h.clock.advance(60_000);
    await h.manager.idle();
    expect(h.channel.sent).toHaveLength(0);
    // 3 announce attempts × 3 dispatcher attempts each.
    expect(h.channel.attempts).toHaveLength(9);
    expect(h.events.filter((e) => e.name === 'background:failed')).toHaveLength(1);
  });
});

describe('restrictions', () => {
  it('refuses a spawn from a background run (flag or child session key) and records nothing', async () => {
    const h = createHarness();
    const parent = parentFor(dmTarget());
    await expect(h.manager.spawn({ ...parent, isChild: true }, { task: 'x' })).rejects.toSatisfy(
      NestedSpawnError.isInstance,
    );
    await expect(
      h.manager.spawn({ ...parent, sessionKey: 'agent:main:subagent:abc' }, { task: 'x' }),
    ).rejects.toThrow(/cannot start another one/);
    expect(await h.manager.list()).toEqual([]);
  });

  it('gives the child a policy narrower than the parent’s that denies session, memory and messaging tools', async () => {
    const h = createHarness();
    const toolPolicy = resolveToolPolicy({ config: { tools: { deny: ['exec'] } }, channel: 'test' });
    await h.manager.spawn(parentFor(dmTarget(), { toolPolicy }), { task: 'x' });
    await flush();
    const policy = h.calls[0]!.input.toolPolicy;
    for (const tool of [
      'sessions_spawn',
      'sessions_list',
      'sessions_history',
      'sessions_send',
      'memory_search',
      'message',
      'exec',
    ]) {
      expect(policy.isAllowed(tool), tool).toBe(false);
    }
    expect(policy.isAllowed('read')).toBe(true);
    expect(policy.explain('sessions_spawn').decidedBy).toBe('background child');
  });

  it('refuses a sixth live child of one session with the numbers in the message', async () => {
    const h = createHarness();
    const parent = parentFor(groupTarget('g1'));
    for (let i = 0; i < 5; i++) await h.manager.spawn(parent, { task: `t${i}` });
    const error = await h.manager.spawn(parent, { task: 't5' }).catch((e: unknown) => e);
    expect(SpawnLimitError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'per_session', limit: 5, active: 5 });
    expect((error as Error).message).toMatch(/already has 5 live background run\(s\) and the limit is 5/);
    // Another conversation is not affected, and a finished child frees a slot.
    await h.manager.spawn(parentFor(groupTarget('g2')), { task: 'other' });
    await flush();
    h.calls[0]!.resolve('done');
    await flush();
    await expect(h.manager.spawn(parent, { task: 'again' })).resolves.toMatchObject({ status: 'accepted' });
  });

  it('refuses spawns beyond the global limit across sessions', async () => {
    const h = createHarness({ config: { maxConcurrentRuns: 3 } });
    for (const g of ['a', 'b', 'c']) await h.manager.spawn(parentFor(groupTarget(g)), { task: g });
    await expect(h.manager.spawn(parentFor(groupTarget('d')), { task: 'd' })).rejects.toMatchObject({
      kind: 'global',
      limit: 3,
      active: 3,
    });
  });

  it('never overshoots the limit with concurrent spawns', async () => {
    const h = createHarness({ config: { maxChildrenPerSession: 2 } });
    const parent = parentFor(dmTarget());
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => h.manager.spawn(parent, { task: `t${i}` })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(results.every((r) => r.status === 'fulfilled' || SpawnLimitError.isInstance(r.reason))).toBe(true);
  });

  it('rejects malformed spawn options, listing every problem by path', async () => {
    const h = createHarness({ config: { agents: ['main'] } });
    const parent = parentFor(dmTarget());
    const error = await h.manager
      .spawn(parent, { task: '  ', cleanup: 'later', timeoutMs: 0 } as never)
      .catch((e: unknown) => e);
    expect(InvalidSpawnOptionsError.isInstance(error)).toBe(true);
    expect((error as InvalidSpawnOptionsError).issues.map((i) => i.path).sort()).toEqual([
      'cleanup',
      'task',
      'timeoutMs',
    ]);
    await expect(h.manager.spawn(parent, { task: 'x', agentId: 'ghost' })).rejects.toThrow(
      /unknown agent "ghost" \(configured agents: main\)/,
    );
    await expect(h.manager.spawn(parent, { task: 'x', target: dmTarget('other') } as never)).rejects.toThrow(
      /no delivery option \("target"\)/,
    );
    await expect(
      h.manager.spawn({ ...parent, target: { channel: 'test' } } as never, { task: 'x' }),
    ).rejects.toThrow(/parent\.target/);
    expect(await h.manager.list()).toEqual([]);
  });

  it('rejects invalid manager options with a ConfigError naming each path', () => {
    const stores = createMemoryStores();
    let error: unknown;
    try {
      createBackgroundRuns({
        stores,
        dispatcher: {} as never,
        runChild: 'nope' as never,
        config: { maxChildrenPerSession: 0, archiveAfterMs: -1, typo: 1 } as never,
      });
    } catch (e) {
      error = e;
    }
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).issues.map((i) => i.path).sort()).toEqual([
      'config',
      'config.archiveAfterMs',
      'config.maxChildrenPerSession',
      'dispatcher',
      'runChild',
    ]);
  });
});

describe('timeouts, cancel and stop', () => {
  it('aborts a child that outlives its timeout and announces the timeout', async () => {
    const h = createHarness({ holdForTurns: false });
    const { runId } = await h.manager.spawn(parentFor(dmTarget()), { task: 'slow', timeoutMs: 30_000 });
    await flush();
    const signal = h.calls[0]!.input.signal;
    await h.clock.advance(29_999);
    expect(signal.aborted).toBe(false);
    await h.clock.advance(1);
    await h.manager.idle();
    expect(signal.aborted).toBe(true);
    expect((signal.reason as DOMException).name).toBe('TimeoutError');
    expect(await h.manager.get(runId)).toMatchObject({ status: 'timed_out', announced: true });
    expect(h.channel.sent.map((s) => s.message.text)).toEqual(['⏱️ slow timed out after 30 s']);
    expect(h.manager.stats).toEqual({ executing: 0, announcing: 0, parentSessions: 0, heldTurns: 0 });
  });

  it('applies config.defaultTimeoutMs to spawns that give none', async () => {
    const h = createHarness({ holdForTurns: false, config: { defaultTimeoutMs: 1000 } });
    const { runId } = await h.manager.spawn(parentFor(dmTarget()), { task: 'slow' });
    await h.clock.advance(1000);
    await h.manager.idle();
    expect((await h.manager.get(runId))?.status).toBe('timed_out');
  });

  it('cancels a live run, announces the cancellation, and refuses to cancel twice', async () => {
    const h = createHarness({ holdForTurns: false });
    const { runId } = await h.manager.spawn(parentFor(dmTarget()), { task: 'long job', label: 'Job' });
    await flush();
    await expect(h.manager.cancel(runId)).resolves.toBe(true);
    await expect(h.manager.cancel(runId)).resolves.toBe(false);
    await h.manager.idle();
    expect(h.calls[0]!.input.signal.aborted).toBe(true);
    expect(await h.manager.get(runId)).toMatchObject({ status: 'cancelled', announced: true });
    expect(h.channel.sent.map((s) => s.message.text)).toEqual(['🛑 Job was cancelled']);
    await expect(h.manager.cancel(runId)).resolves.toBe(false);
    await expect(h.manager.cancel('unknown')).resolves.toBe(false);
  });

  it('settles a cancelled run even when runChild ignores its signal', async () => {
    const h = createHarness({ holdForTurns: false, runChild: () => new Promise(() => {}) });
    const { runId } = await h.manager.spawn(parentFor(dmTarget()), { task: 'stuck' });
    await flush();
    await h.manager.cancel(runId);
    await h.manager.idle();
    expect((await h.manager.get(runId))?.status).toBe('cancelled');
    expect(h.manager.stats.executing).toBe(0);
  });

  it('on stop, aborts children after the grace period and leaves them running for the next start', async () => {
    const h = createHarness();
    const { runId } = await h.manager.spawn(parentFor(dmTarget()), { task: 'x' });
    await flush();
    const stopped = h.manager.stop({ timeoutMs: 5000 });
    await h.clock.advance(5000);
    await stopped;
    expect(h.calls[0]!.input.signal.aborted).toBe(true);
    expect(await h.manager.get(runId)).toMatchObject({ status: 'running', announced: false });
    expect(h.channel.sent).toHaveLength(0);
    await expect(h.manager.spawn(parentFor(dmTarget()), { task: 'y' })).rejects.toSatisfy(
      BackgroundRunsStoppedError.isInstance,
    );
  });

  it('leaves a child that fails while the gateway stops for the next start instead of announcing a failure', async () => {
    const h = createHarness({ holdForTurns: false });
    const { runId } = await h.manager.spawn(parentFor(dmTarget()), { task: 'x' });
    await flush();
    const stopped = h.manager.stop({ timeoutMs: 5000 });
    h.calls[0]!.reject(new Error('the queue was stopped'));
    await stopped;
    expect(await h.manager.get(runId)).toMatchObject({ status: 'running', announced: false });
    expect(h.channel.sent).toHaveLength(0);
  });

  it('lets a child that finishes within the stop grace period announce', async () => {
    const h = createHarness({ holdForTurns: false });
    const { runId } = await h.manager.spawn(parentFor(dmTarget()), { task: 'x' });
    await flush();
    const stopped = h.manager.stop({ timeoutMs: 5000 });
    h.calls[0]!.resolve('made it');
    await stopped;
    expect(await h.manager.get(runId)).toMatchObject({ status: 'succeeded', announced: true });
    expect(h.channel.sent).toHaveLength(1);
  });
});

describe('registry', () => {
  it('lists runs by status and parent session', async () => {
    const h = createHarness({ holdForTurns: false });
    const a = parentFor(groupTarget('a'));
    const b = parentFor(groupTarget('b'));
    const first = await h.manager.spawn(a, { task: 'one' });
    await h.manager.spawn(b, { task: 'two' });
    await flush();
    h.calls[0]!.resolve('ok');
    await flush();
    expect((await h.manager.list({ parentSessionKey: a.sessionKey })).map((r) => r.runId)).toEqual([
      first.runId,
    ]);
    expect((await h.manager.list({ status: 'running' })).map((r) => r.task)).toEqual(['two']);
    expect((await h.manager.list({ announced: true })).map((r) => r.task)).toEqual(['one']);
  });
});
