import { describe, expect, it } from 'vitest';
import type { ChannelAdapter, SendContext } from '../../adapter/types.js';
import type { ReplyTarget } from '../../envelope/types.js';
import { ChannelSendError } from '../../errors/channel-send-error.js';
import type { OutboundMessage } from '../../outbound/types.js';
import { createTestChannel, type TestChannel } from '../test-channel.js';
import { channelConformance } from './channel-conformance.js';
import { conformanceChecks, runConformanceCheck } from './checks.js';
import { ConformanceError } from './conformance-error.js';
import { testChannelConformanceOptions } from './test-channel-options.js';

// The suite itself, as a third-party author would run it: against the full test channel …
const full = createTestChannel();
channelConformance(() => full, testChannelConformanceOptions(full));

// … and against a poorer platform, where the capability-driven checks are skipped.
const poor = createTestChannel(
  {
    chatTypes: ['direct'],
    threads: false,
    topics: false,
    replies: false,
    edit: false,
    reactions: false,
    typing: false,
    nativeMentions: false,
    textChunkLimit: 50,
  },
  { id: 'poor' },
);
channelConformance(() => poor, { ...testChannelConformanceOptions(poor), name: 'poor test channel' });

/** An adapter that behaves like the test channel except for what `override` changes. */
function broken(override: (channel: TestChannel) => Partial<Record<keyof ChannelAdapter, unknown>>) {
  const channel = createTestChannel();
  const make = () => ({ ...channel, ...override(channel) }) as unknown as ChannelAdapter;
  return { make, options: testChannelConformanceOptions(channel) };
}

const relay =
  (
    channel: TestChannel,
    change: (target: ReplyTarget, message: OutboundMessage) => [ReplyTarget, OutboundMessage],
  ) =>
  (target: ReplyTarget, message: OutboundMessage, ctx: SendContext) =>
    channel.send(...change(target, message), ctx);

const faults: { fault: string; check: string; error: RegExp; adapter: ReturnType<typeof broken> }[] = [
  {
    fault: 'declares edit without implementing it',
    check: 'declares capabilities that agree with its methods (defineChannel accepts it)',
    error: /capabilities\.edit: is true but edit\(\) is not implemented/,
    adapter: broken(() => ({ edit: undefined })),
  },
  {
    fault: 'posts every message to the same group',
    check: 'posts a direct message to exactly the target peer',
    error: /sent to direct "u1" but the platform received it in peer "g1"/,
    adapter: broken((c) => ({ send: relay(c, (t, m) => [{ ...t, peer: { kind: 'group', id: 'g1' } }, m]) })),
  },
  {
    fault: 'ignores target.threadId while declaring threads',
    check: 'threads: posts into target.threadId',
    error: /sent to thread "t1" but it landed in no thread/,
    adapter: broken((c) => ({ send: relay(c, ({ threadId: _drop, ...t }, m) => [t, m]) })),
  },
  {
    fault: 'ignores replyToMessageId while declaring replies',
    check: 'replies: posts as a reply to message.replyToMessageId',
    error: /received no reply reference/,
    adapter: broken((c) => ({ send: relay(c, (t, { replyToMessageId: _drop, ...m }) => [t, m]) })),
  },
  {
    fault: 'truncates long text',
    check: 'textChunkLimit: every chunk up to the declared limit arrives whole, one message each',
    error: /arrived as 3000 characters/,
    adapter: broken((c) => ({ send: relay(c, (t, m) => [t, { ...m, text: m.text.slice(0, 3000) }]) })),
  },
  {
    fault: 'splits a message the platform could take whole',
    check: 'textChunkLimit: every chunk up to the declared limit arrives whole, one message each',
    error: /the platform received \d+ messages/,
    adapter: broken((c) => ({
      send: async (t: ReplyTarget, m: OutboundMessage, ctx: SendContext) => {
        if (m.text.length > 2000) await c.send(t, { ...m, text: m.text.slice(2000) }, ctx);
        return c.send(t, { ...m, text: m.text.slice(0, 2000) }, ctx);
      },
    })),
  },
  {
    fault: 'normalises allowlist entries non-idempotently',
    check: 'identity hooks are stable, idempotent and match a sender to its own ids',
    error: /normalizeEntry is not idempotent: "123" → "tg:123" → "tg:tg:123"/,
    adapter: broken(() => ({
      identity: {
        normalizeEntry: (e: string) => (e.trim() ? `tg:${e.trim()}` : undefined),
        senderIds: () => [],
      },
    })),
  },
  {
    fault: 'lets a blank allowlist entry match',
    check: 'identity hooks are stable, idempotent and match a sender to its own ids',
    error: /normalizeEntry\(""\) returned ""/,
    adapter: broken(() => ({
      identity: { normalizeEntry: (e: string) => e.trim(), senderIds: (s: { id: string }) => [s.id] },
    })),
  },
  {
    fault: 'gives sender ids that an allowlist entry can never equal',
    check: 'identity hooks are stable, idempotent and match a sender to its own ids',
    error: /an allowlist entry copied from a sender id must match that sender/,
    adapter: broken(() => ({
      identity: {
        normalizeEntry: (e: string) => e.trim().toLowerCase() || undefined,
        senderIds: (s: { id: string }) => [`ID-${s.id}`],
      },
    })),
  },
  {
    fault: 'derives the conversation id from the replied-to message',
    check:
      'conversationId is stable per conversation, distinct across conversations, and survives serialization',
    error: /conversationId depends on replyToMessageId/,
    adapter: broken(() => ({
      conversationId: (t: ReplyTarget) => `${t.peer.id}/${t.replyToMessageId ?? ''}`,
    })),
  },
  {
    fault: 'gives a thread the id of its channel',
    check:
      'conversationId is stable per conversation, distinct across conversations, and survives serialization',
    error: /share conversationId "c1"/,
    adapter: broken(() => ({ conversationId: (t: ReplyTarget) => t.peer.id })),
  },
  {
    fault: 'throws plain errors instead of ChannelSendError',
    check: 'classifies platform failures as ChannelSendError with the right reason',
    error: /send\(\) threw Error: .*throw a ChannelSendError/,
    adapter: broken((c) => ({
      send: (t: ReplyTarget, m: OutboundMessage, ctx: SendContext) =>
        c.send(t, m, ctx).catch((e: Error) => {
          throw new Error(e.message);
        }),
    })),
  },
  {
    fault: 'loses the retry-after of a rate limit',
    check: 'classifies platform failures as ChannelSendError with the right reason',
    error: /asked to retry after 3000 ms but retryAfterMs is undefined/,
    adapter: broken((c) => ({
      send: (t: ReplyTarget, m: OutboundMessage, ctx: SendContext) =>
        c.send(t, m, ctx).catch((e: ChannelSendError) => {
          throw new ChannelSendError(e.message, { reason: e.reason });
        }),
    })),
  },
  {
    fault: 'calls every failure a network error',
    check: 'classifies platform failures as ChannelSendError with the right reason',
    error: /failed with rate_limited but send\(\) classified it as network/,
    adapter: broken((c) => ({
      send: (t: ReplyTarget, m: OutboundMessage, ctx: SendContext) =>
        c.send(t, m, ctx).catch((e: ChannelSendError) => {
          throw new ChannelSendError(e.message, {
            reason: 'network',
            ...(e.retryAfterMs ? { retryAfterMs: e.retryAfterMs } : {}),
          });
        }),
    })),
  },
  {
    fault: 'ignores the abort signal',
    check: 'an aborted send rejects and posts nothing',
    error: /send\(\) resolved although ctx\.signal was already aborted/,
    adapter: broken((c) => ({
      send: (t: ReplyTarget, m: OutboundMessage, ctx: SendContext) =>
        c.send(t, m, { ...ctx, signal: new AbortController().signal }),
    })),
  },
  {
    fault: 'edits by posting a new message',
    check: 'edit: replaces the text of a sent message in place',
    error: /edit\(\) posted a new message instead of editing/,
    adapter: broken((c) => ({
      edit: async (t: ReplyTarget, _id: string, m: OutboundMessage, ctx: SendContext) => {
        await c.send(t, m, ctx);
      },
    })),
  },
  {
    fault: 'passes the bot’s own messages on unflagged',
    check: 'inbound: delivers valid messages on this channel and flags (or drops) its own messages',
    error: /own message arrived without sender\.isSelf: true/,
    adapter: broken((c) => ({
      start: (ctx: Parameters<NonNullable<ChannelAdapter['start']>>[0]) =>
        c.start!({ ...ctx, receive: (m) => ctx.receive({ ...m, sender: { id: m.sender.id } }) }),
    })),
  },
  {
    fault: 'reports inbound messages under another channel id',
    check: 'inbound: delivers valid messages on this channel and flags (or drops) its own messages',
    error: /has channel "elsewhere", expected "test"/,
    adapter: broken((c) => ({
      start: (ctx: Parameters<NonNullable<ChannelAdapter['start']>>[0]) =>
        c.start!({ ...ctx, receive: (m) => ctx.receive({ ...m, channel: 'elsewhere' }) }),
    })),
  },
  {
    fault: 'drops native mentions while declaring nativeMentions',
    check: 'nativeMentions: a native mention of the bot sets mentions.self',
    error: /arrived without mentions\.self: true/,
    adapter: broken((c) => ({
      start: (ctx: Parameters<NonNullable<ChannelAdapter['start']>>[0]) =>
        c.start!({ ...ctx, receive: ({ mentions: _drop, ...m }) => ctx.receive(m) }),
    })),
  },
  {
    fault: 'throws when stopped twice',
    check: 'lifecycle: stop() is safe before start() and when called twice',
    error: /stop\(\) threw: Error: already stopped/,
    adapter: broken(() => {
      let running = false;
      return {
        start: async () => {
          running = true;
        },
        stop: async () => {
          if (!running) throw new Error('already stopped');
          running = false;
        },
      };
    }),
  },
];

describe('the conformance kit catches broken adapters', () => {
  it.each(faults)('catches an adapter that $fault', async ({ check, error, adapter }) => {
    const outcome = runConformanceCheck(check, adapter.make, adapter.options);
    await expect(outcome).rejects.toThrow(error);
    await expect(outcome).rejects.toSatisfy((e) => ConformanceError.isInstance(e) && e.check === check);
  });

  it('has a deliberately broken adapter for every check that can fail', () => {
    const covered = new Set(faults.map((f) => f.check));
    const uncovered = conformanceChecks
      .map((c) => c.name)
      .filter(
        (name) =>
          !covered.has(name) &&
          !name.startsWith('posts a ') &&
          !name.startsWith('reactions and typing') &&
          !name.startsWith('topics:'),
      );
    expect(uncovered).toEqual([]);
  });

  it('passes each of those checks on the unbroken test channel, so the fault is what fails', async () => {
    for (const check of new Set(faults.map((f) => f.check))) {
      const channel = createTestChannel(
        {},
        {
          identity: {
            normalizeEntry: (e) => e.trim().toLowerCase() || undefined,
            senderIds: (s) => [s.id.toLowerCase()],
          },
        },
      );
      await expect(
        runConformanceCheck(check, () => channel, testChannelConformanceOptions(channel)),
      ).resolves.toEqual({
        status: 'passed',
      });
    }
  });

  it('reports a missing target option instead of skipping the check silently', async () => {
    const channel = createTestChannel();
    const { group: _drop, ...targets } = testChannelConformanceOptions(channel).targets;
    await expect(
      runConformanceCheck('posts a group message to exactly the target peer', () => channel, {
        ...testChannelConformanceOptions(channel),
        targets,
      }),
    ).rejects.toThrow(/options\.targets\.group is required because chatTypes includes "group"/);
  });

  it('skips capability checks the adapter does not declare, saying why', async () => {
    const channel = createTestChannel({ threads: false });
    await expect(
      runConformanceCheck(
        'threads: posts into target.threadId',
        () => channel,
        testChannelConformanceOptions(channel),
      ),
    ).resolves.toEqual({ status: 'skipped', reason: 'threads is not declared' });
    await expect(
      runConformanceCheck('no such check', () => channel, testChannelConformanceOptions(channel)),
    ).rejects.toThrow(/Unknown conformance check/);
  });
});
