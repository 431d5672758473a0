import type { ReplyTarget } from '@claw/channel-kit';
import { createTestChannel } from '@claw/channel-kit/testing';
import { describe, expect, it } from 'vitest';
import { createConversationBindings } from '../bindings/index.js';
import { createMemoryStores } from '../stores/index.js';
import type { RunRecord } from '../stores/types.js';
import { formatAnnouncement, formatDuration, resolveAnnounceTarget, runTitle } from './announce.js';
import { withDetails } from './details.js';
import { createHarness, flush, groupTarget, parentFor } from './test-support.js';

const run = (overrides: Partial<RunRecord> = {}): RunRecord => ({
  runId: 'r1',
  parentSessionKey: 'agent:main:test:group:dev-team',
  childSessionKey: 'agent:main:subagent:r1',
  agentId: 'main',
  task: 'Analyse document A and list the risks',
  status: 'succeeded',
  announced: false,
  target: groupTarget('dev-team'),
  cleanup: 'keep',
  createdAt: 0,
  ...overrides,
});

describe('announcement text', () => {
  it('heads a success with the label and follows with the result', () => {
    expect(formatAnnouncement(run({ label: 'Doc A', result: '3 risks found.' }))).toBe(
      '✅ Doc A finished\n\n3 risks found.',
    );
  });

  it('uses the start of the task when there is no label', () => {
    expect(runTitle(run({ task: 'x'.repeat(100) }))).toBe(`${'x'.repeat(59)}…`);
    expect(runTitle(run({ task: 'summarise\nthe thread' }))).toBe('summarise the thread');
  });

  it('takes the status line from the outcome, never from the model text', () => {
    expect(formatAnnouncement(run({ status: 'failed', error: 'boom', result: 'partial' }))).toBe(
      '❌ Analyse document A and list the risks failed: boom',
    );
    expect(
      formatAnnouncement(withDetails(run({ status: 'timed_out', label: 'A' }), { timeoutMs: 90_000 })),
    ).toBe('⏱️ A timed out after 2 min');
    expect(formatAnnouncement(run({ status: 'cancelled', label: 'A' }))).toBe('🛑 A was cancelled');
    expect(formatAnnouncement(run({ status: 'interrupted', label: 'A' }))).toBe(
      '⚠️ A was interrupted by a restart before it finished',
    );
  });

  it('writes durations in words', () => {
    expect([500, 45_000, 300_000, 5_400_000, 7_200_000].map(formatDuration)).toEqual([
      '500 ms',
      '45 s',
      '5 min',
      '1 h 30 min',
      '2 h',
    ]);
  });
});

describe('announce target', () => {
  const setup = () => {
    const channel = createTestChannel();
    const stores = createMemoryStores();
    const bindings = createConversationBindings(stores.bindings, { channels: [channel] });
    return { channel, stores, bindings };
  };

  it('is the pinned origin when nothing is bound', async () => {
    const { bindings } = setup();
    const origin = groupTarget('dev-team', 'ci');
    expect(await resolveAnnounceTarget(run({ target: origin }), bindings)).toEqual(origin);
  });

  it('is the thread bound to the child session in the origin’s group', async () => {
    const { bindings } = setup();
    const r = run();
    await bindings.bind({
      channel: 'test',
      kind: 'thread',
      target: groupTarget('dev-team', 'bg-thread'),
      targetSessionKey: r.childSessionKey,
      agentId: 'main',
    });
    expect(await resolveAnnounceTarget(r, bindings)).toEqual(groupTarget('dev-team', 'bg-thread'));
  });

  it('is the thread bound to the parent session when the origin is the main channel', async () => {
    const { bindings } = setup();
    const r = run();
    await bindings.bind({
      channel: 'test',
      kind: 'thread',
      target: groupTarget('dev-team', 'focus'),
      targetSessionKey: r.parentSessionKey,
      agentId: 'main',
    });
    expect(await resolveAnnounceTarget(r, bindings)).toEqual(groupTarget('dev-team', 'focus'));
    // An origin that is a thread stays that thread.
    const inThread = run({ target: groupTarget('dev-team', 'ci') });
    expect(await resolveAnnounceTarget(inThread, bindings)).toEqual(groupTarget('dev-team', 'ci'));
  });

  it('never moves the result to another group or account', async () => {
    const { bindings } = setup();
    const r = run();
    await bindings.bind({
      channel: 'test',
      kind: 'thread',
      target: groupTarget('release-squad', 't9'),
      targetSessionKey: r.childSessionKey,
      agentId: 'main',
    });
    await bindings.bind({
      channel: 'test',
      kind: 'thread',
      target: { ...groupTarget('dev-team', 't8'), accountId: 'other-bot' },
      targetSessionKey: r.childSessionKey,
      agentId: 'main',
    });
    expect(await resolveAnnounceTarget(r, bindings)).toEqual(r.target);
  });

  it('ignores an expired binding', async () => {
    let now = 1000;
    const channel = createTestChannel();
    const stores = createMemoryStores();
    const bindings = createConversationBindings(stores.bindings, { channels: [channel], now: () => now });
    const r = run();
    await bindings.bind({
      channel: 'test',
      kind: 'thread',
      target: groupTarget('dev-team', 'old'),
      targetSessionKey: r.childSessionKey,
      agentId: 'main',
      idleTtlMs: 10,
    });
    now = 2000;
    expect(await resolveAnnounceTarget(r, bindings)).toEqual(r.target);
  });

  it('is used by the manager, and kept for retries once chosen', async () => {
    const channel = createTestChannel();
    const stores = createMemoryStores();
    const bindings = createConversationBindings(stores.bindings, { channels: [channel] });
    const h = createHarness({ stores, channel, holdForTurns: false, extra: { bindings } });
    const parent = parentFor(groupTarget('dev-team'));
    const { runId, sessionKey } = await h.manager.spawn(parent, { task: 'x' });
    const thread: ReplyTarget = groupTarget('dev-team', 'bg');
    await bindings.bind({
      channel: 'test',
      kind: 'thread',
      target: thread,
      targetSessionKey: sessionKey,
      agentId: 'main',
    });
    await flush();
    h.calls[0]!.resolve('r');
    await h.manager.idle();
    expect(h.channel.sent.map((s) => s.target)).toEqual([thread]);
    expect((await h.manager.get(runId))?.meta?.['background']).toMatchObject({ announceTarget: thread });
  });
});
