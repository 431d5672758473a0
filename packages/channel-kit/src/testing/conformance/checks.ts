import type { ChannelAdapter, SendContext, SendResult } from '../../adapter/types.js';
import { chunkModeOf } from '../../capabilities/types.js';
import { chunkText } from '../../chunking/chunk-text.js';
import { conversationIdOf } from '../../conversation/conversation-id.js';
import { defineChannel } from '../../define/define-channel.js';
import { parseInbound, parseReplyTarget } from '../../envelope/parse.js';
import type { ChatType, InboundMessage, ReplyTarget, Sender } from '../../envelope/types.js';
import { ChannelSendError, type ChannelSendErrorReason } from '../../errors/channel-send-error.js';
import { InvalidAdapterError } from '../../errors/invalid-adapter-error.js';
import type { OutboundMessage } from '../../outbound/types.js';
import { ConformanceError } from './conformance-error.js';
import type {
  ChannelConformanceOptions,
  CheckOutcome,
  InboundRequest,
  MakeAdapter,
  PlatformMessage,
} from './types.js';

/** What a check gets to work with. */
interface CheckContext {
  readonly adapter: ChannelAdapter;
  readonly options: ChannelConformanceOptions;
  /** Throw a ConformanceError for this check. */
  fail(message: string, cause?: unknown): never;
  /** Send through the adapter, failing the check with a clear message if it throws. */
  send(target: ReplyTarget, message: OutboundMessage, signal?: AbortSignal): Promise<SendResult>;
  /** Run `action` and return the platform messages that appeared meanwhile. */
  observe(action: () => Promise<unknown>): Promise<PlatformMessage[]>;
  /** A text no other check uses. */
  uniqueText(label: string): string;
  /** The target for `kind`, or fail saying which option is missing. */
  target(kind: keyof ChannelConformanceOptions['targets'], why: string): ReplyTarget;
}

/** One conformance check: a plain async function that throws a `ConformanceError` on a fault. */
export interface ConformanceCheck {
  /** Behaviour under test, used as the test name. */
  readonly name: string;
  /** Why the check does not apply to this adapter and options, or `undefined` when it does. */
  skip(adapter: ChannelAdapter, options: ChannelConformanceOptions): string | undefined;
  /** Run the check; throws a `ConformanceError` describing the fault. */
  run(ctx: CheckContext): Promise<void>;
}

const describeTarget = (t: ReplyTarget) =>
  `${t.peer.kind} ${JSON.stringify(t.peer.id)}${t.threadId === undefined ? '' : ` thread ${JSON.stringify(t.threadId)}`}`;

const describePlatform = (m: PlatformMessage) =>
  `peer ${JSON.stringify(m.peerId)}${m.threadId === undefined ? '' : ` thread ${JSON.stringify(m.threadId)}`}`;

/** Exactly one new message, or fail. */
function single(ctx: CheckContext, fresh: readonly PlatformMessage[], what: string): PlatformMessage {
  if (fresh.length !== 1) {
    ctx.fail(
      `${what}: expected the platform to receive exactly 1 message, it received ${fresh.length}` +
        (fresh.length > 1 ? ` (${fresh.map((m) => JSON.stringify(m.text.slice(0, 40))).join(', ')})` : ''),
    );
  }
  return fresh[0]!;
}

function checkLanding(
  ctx: CheckContext,
  target: ReplyTarget,
  result: SendResult,
  message: PlatformMessage,
  text: string,
) {
  if (message.peerId !== target.peer.id) {
    ctx.fail(
      `sent to ${describeTarget(target)} but the platform received it in ${describePlatform(message)}: send() must post to target.peer.id and nowhere else`,
    );
  }
  if (message.threadId !== target.threadId) {
    ctx.fail(
      target.threadId === undefined
        ? `sent outside any thread but it landed in thread ${JSON.stringify(message.threadId)}`
        : `sent to thread ${JSON.stringify(target.threadId)} but it landed in ${message.threadId === undefined ? 'no thread' : `thread ${JSON.stringify(message.threadId)}`}: send() must honour target.threadId when threads is declared`,
    );
  }
  if (message.text !== text) {
    ctx.fail(
      `sent ${JSON.stringify(text.slice(0, 60))} but the platform received ${JSON.stringify(message.text.slice(0, 60))}`,
    );
  }
  if (typeof result?.messageId !== 'string' || result.messageId === '') {
    ctx.fail(`send() must resolve with { messageId: <non-empty string> }, got ${JSON.stringify(result)}`);
  }
  if (message.messageId !== result.messageId) {
    ctx.fail(
      `send() returned messageId ${JSON.stringify(result.messageId)} but the platform holds ${JSON.stringify(message.messageId)}`,
    );
  }
}

const chatTypeCheck = (kind: ChatType): ConformanceCheck => ({
  name: `posts a ${kind === 'direct' ? 'direct' : kind} message to exactly the target peer`,
  skip: (adapter) =>
    adapter.capabilities.chatTypes.includes(kind) ? undefined : `chatTypes does not include "${kind}"`,
  async run(ctx) {
    const target = ctx.target(kind, `chatTypes includes "${kind}"`);
    const text = ctx.uniqueText(`${kind} message`);
    let result: SendResult | undefined;
    const fresh = await ctx.observe(async () => {
      result = await ctx.send(target, { text });
    });
    checkLanding(ctx, target, result!, single(ctx, fresh, `send to ${describeTarget(target)}`), text);
  },
});

const checks: ConformanceCheck[] = [
  {
    name: 'declares capabilities that agree with its methods (defineChannel accepts it)',
    skip: () => undefined,
    async run() {
      // Done in runCheck for every check; this one exists so the fault has its own test name.
    },
  },
  chatTypeCheck('direct'),
  chatTypeCheck('group'),
  chatTypeCheck('channel'),
  {
    name: 'threads: posts into target.threadId',
    skip: (adapter) => (adapter.capabilities.threads ? undefined : 'threads is not declared'),
    async run(ctx) {
      const target = ctx.target('thread', 'threads is declared');
      if (target.threadId === undefined) ctx.fail('options.targets.thread must have a threadId');
      const text = ctx.uniqueText('thread message');
      let result: SendResult | undefined;
      const fresh = await ctx.observe(async () => {
        result = await ctx.send(target, { text });
      });
      checkLanding(ctx, target, result!, single(ctx, fresh, `send to ${describeTarget(target)}`), text);
    },
  },
  {
    name: 'topics: posts into the forum topic named by the peer id',
    skip: (adapter) => (adapter.capabilities.topics ? undefined : 'topics is not declared'),
    async run(ctx) {
      const target = ctx.target('topic', 'topics is declared');
      const text = ctx.uniqueText('topic message');
      let result: SendResult | undefined;
      const fresh = await ctx.observe(async () => {
        result = await ctx.send(target, { text });
      });
      checkLanding(ctx, target, result!, single(ctx, fresh, `send to ${describeTarget(target)}`), text);
    },
  },
  {
    name: 'replies: posts as a reply to message.replyToMessageId',
    skip: (adapter) => (adapter.capabilities.replies ? undefined : 'replies is not declared'),
    async run(ctx) {
      const target = firstTarget(ctx);
      const first = await ctx.send(target, { text: ctx.uniqueText('original') });
      const text = ctx.uniqueText('reply');
      const fresh = await ctx.observe(() => ctx.send(target, { text, replyToMessageId: first.messageId }));
      const reply = single(ctx, fresh, 'reply');
      if (reply.replyToMessageId !== first.messageId) {
        ctx.fail(
          `sent a reply to ${JSON.stringify(first.messageId)} but the platform received ${reply.replyToMessageId === undefined ? 'no reply reference' : `a reply to ${JSON.stringify(reply.replyToMessageId)}`}: send() must honour message.replyToMessageId when replies is declared`,
        );
      }
      const plain = single(
        ctx,
        await ctx.observe(() => ctx.send(target, { text: ctx.uniqueText('not a reply') })),
        'plain',
      );
      if (plain.replyToMessageId !== undefined)
        ctx.fail('a message without replyToMessageId arrived as a reply');
    },
  },
  {
    name: 'textChunkLimit: every chunk up to the declared limit arrives whole, one message each',
    skip: () => undefined,
    async run(ctx) {
      const { textChunkLimit: limit } = ctx.adapter.capabilities;
      const target = firstTarget(ctx);
      const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
      const long: string[] = [];
      // About 2.5 messages worth of prose, capped so huge limits stay cheap.
      for (let length = 0; length < Math.min(limit * 2.5, 50_000); ) {
        const word = words[long.length % words.length]!;
        long.push(long.length % 12 === 11 ? `${word}.\n` : word);
        length += word.length + 1;
      }
      const chunks = [
        'x'.repeat(limit),
        ...chunkText(long.join(' '), { limit, mode: chunkModeOf(ctx.adapter.capabilities) }),
      ];
      const fresh = await ctx.observe(async () => {
        for (const chunk of chunks) await ctx.send(target, { text: chunk });
      });
      if (fresh.length !== chunks.length) {
        ctx.fail(
          `sent ${chunks.length} chunks of at most ${limit} characters but the platform received ${fresh.length} messages: send() must post one message per call, without splitting or dropping text`,
        );
      }
      fresh.forEach((message, i) => {
        if (message.text !== chunks[i]) {
          ctx.fail(
            `chunk ${i + 1} (${chunks[i]!.length} characters) arrived as ${message.text.length} characters: send() must not truncate or alter text up to textChunkLimit`,
          );
        }
      });
    },
  },
  {
    name: 'identity hooks are stable, idempotent and match a sender to its own ids',
    skip: (adapter) =>
      adapter.identity === undefined ? 'no identity hooks (ids are compared exactly)' : undefined,
    async run(ctx) {
      const identity = ctx.adapter.identity!;
      const targets = Object.values(ctx.options.targets).filter((t): t is ReplyTarget => t !== undefined);
      const entries = [
        '123',
        ' 123 ',
        '@alice',
        'ALICE',
        `${ctx.adapter.id}:123`,
        'user:42',
        '+1 (555) 010-0000',
        ...targets.map((t) => t.peer.id),
        ...(ctx.options.identitySamples?.entries ?? []),
      ];
      for (const entry of entries) {
        const once = identity.normalizeEntry(entry);
        if (identity.normalizeEntry(entry) !== once)
          ctx.fail(`normalizeEntry(${JSON.stringify(entry)}) is not stable`);
        if (once === undefined) continue;
        if (typeof once !== 'string' || once.trim() === '') {
          ctx.fail(
            `normalizeEntry(${JSON.stringify(entry)}) returned ${JSON.stringify(once)}: return a non-empty string or undefined`,
          );
        }
        const twice = identity.normalizeEntry(once);
        if (twice !== once) {
          ctx.fail(
            `normalizeEntry is not idempotent: ${JSON.stringify(entry)} → ${JSON.stringify(once)} → ${JSON.stringify(twice)}`,
          );
        }
      }
      for (const blank of ['', '   ']) {
        const result = identity.normalizeEntry(blank);
        if (result !== undefined) {
          ctx.fail(
            `normalizeEntry(${JSON.stringify(blank)}) returned ${JSON.stringify(result)}: a blank entry must never match anything (return undefined)`,
          );
        }
      }
      const senders: Sender[] = [
        { id: '123', username: 'alice', name: 'Alice' },
        ...targets.filter((t) => t.peer.kind === 'direct').map((t) => ({ id: t.peer.id })),
        ...(ctx.options.identitySamples?.senders ?? []),
      ];
      for (const sender of senders) {
        const ids = identity.senderIds(sender);
        if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string' || id.trim() === '')) {
          ctx.fail(
            `senderIds(${JSON.stringify(sender)}) must return non-empty strings, got ${JSON.stringify(ids)}`,
          );
        }
        if (JSON.stringify(identity.senderIds(sender)) !== JSON.stringify(ids)) {
          ctx.fail(`senderIds(${JSON.stringify(sender)}) is not stable`);
        }
        for (const id of ids) {
          if (identity.normalizeEntry(id) !== id) {
            ctx.fail(
              `senderIds gave ${JSON.stringify(id)} but normalizeEntry(${JSON.stringify(id)}) is ${JSON.stringify(identity.normalizeEntry(id))}: an allowlist entry copied from a sender id must match that sender`,
            );
          }
        }
      }
    },
  },
  {
    name: 'conversationId is stable per conversation, distinct across conversations, and survives serialization',
    skip: (_adapter, options) =>
      Object.values(options.targets).some((t) => t !== undefined) ? undefined : 'options.targets is empty',
    async run(ctx) {
      const targets = Object.values(ctx.options.targets).filter((t): t is ReplyTarget => t !== undefined);
      const seen = new Map<string, ReplyTarget>();
      for (const target of targets) {
        const id = conversationIdOf(ctx.adapter, target);
        const again = conversationIdOf(ctx.adapter, {
          ...target,
          replyToMessageId: 'conformance-other-message',
        });
        if (again !== id) {
          ctx.fail(
            `conversationId depends on replyToMessageId (${JSON.stringify(id)} vs ${JSON.stringify(again)}): every reply in a conversation must map to the same binding`,
          );
        }
        const revived = conversationIdOf(ctx.adapter, parseReplyTarget(JSON.parse(JSON.stringify(target))));
        if (revived !== id)
          ctx.fail(
            `conversationId changed after a JSON round-trip of the target (${JSON.stringify(id)} vs ${JSON.stringify(revived)})`,
          );
        const key = `${target.peer.id}\u0000${target.threadId ?? ''}`;
        const other = seen.get(id);
        if (other !== undefined && `${other.peer.id}\u0000${other.threadId ?? ''}` !== key) {
          ctx.fail(
            `${describeTarget(other)} and ${describeTarget(target)} share conversationId ${JSON.stringify(id)}: different conversations must never share a binding`,
          );
        }
        seen.set(id, target);
      }
    },
  },
  {
    name: 'classifies platform failures as ChannelSendError with the right reason',
    skip: (_adapter, options) =>
      options.failNextSend === undefined ? 'options.failNextSend not given' : undefined,
    async run(ctx) {
      const target = firstTarget(ctx);
      const reasons: readonly ChannelSendErrorReason[] = ctx.options.failureReasons ?? [
        'rate_limited',
        'network',
        'auth',
        'not_found',
        'forbidden',
      ];
      for (const reason of reasons) {
        await ctx.options.failNextSend!(
          reason === 'rate_limited' ? { reason, retryAfterMs: 3000 } : { reason },
        );
        let thrown: unknown;
        try {
          await ctx.adapter.send(
            target,
            { text: ctx.uniqueText(`fails with ${reason}`) },
            sendContext('fail'),
          );
        } catch (error) {
          thrown = error;
        }
        if (thrown === undefined) ctx.fail(`the platform failed with ${reason} but send() resolved`);
        if (!ChannelSendError.isInstance(thrown)) {
          return ctx.fail(
            `the platform failed with ${reason} but send() threw ${String(thrown)}: throw a ChannelSendError so the core can tell retryable from permanent`,
            thrown,
          );
        }
        if (thrown.reason !== reason)
          ctx.fail(`the platform failed with ${reason} but send() classified it as ${thrown.reason}`, thrown);
        const retryable = reason === 'rate_limited' || reason === 'network';
        if (thrown.retryable !== retryable)
          ctx.fail(`a ${reason} failure must have retryable: ${retryable}`, thrown);
        if (reason === 'rate_limited' && thrown.retryAfterMs !== 3000) {
          ctx.fail(
            `the platform asked to retry after 3000 ms but retryAfterMs is ${thrown.retryAfterMs}`,
            thrown,
          );
        }
        // The failure was one-off: the next send must go through.
        const text = ctx.uniqueText(`after ${reason}`);
        let result: SendResult | undefined;
        const fresh = await ctx.observe(async () => {
          result = await ctx.send(target, { text });
        });
        checkLanding(ctx, target, result!, single(ctx, fresh, `send after a ${reason} failure`), text);
      }
    },
  },
  {
    name: 'an aborted send rejects and posts nothing',
    skip: () => undefined,
    async run(ctx) {
      const controller = new AbortController();
      controller.abort(new Error('conformance: aborted'));
      let rejected = false;
      const fresh = await ctx.observe(async () => {
        try {
          await ctx.adapter.send(
            firstTarget(ctx),
            { text: ctx.uniqueText('aborted') },
            { idempotencyKey: 'abort', signal: controller.signal },
          );
        } catch {
          rejected = true;
        }
      });
      if (!rejected)
        ctx.fail(
          'send() resolved although ctx.signal was already aborted: pass the signal to fetch (or check it)',
        );
      if (fresh.length > 0) ctx.fail('send() posted a message although ctx.signal was already aborted');
    },
  },
  {
    name: 'edit: replaces the text of a sent message in place',
    skip: (adapter) => (adapter.capabilities.edit ? undefined : 'edit is not declared'),
    async run(ctx) {
      const target = firstTarget(ctx);
      const { messageId } = await ctx.send(target, { text: ctx.uniqueText('before edit') });
      const text = ctx.uniqueText('after edit');
      const fresh = await ctx.observe(() =>
        ctx.adapter.edit!(target, messageId, { text }, sendContext('edit')),
      );
      if (fresh.length > 0) ctx.fail('edit() posted a new message instead of editing');
      const edited = (await ctx.options.received()).find((m) => m.messageId === messageId);
      if (edited?.text !== text)
        ctx.fail(
          `after edit() the message reads ${JSON.stringify(edited?.text)}, expected ${JSON.stringify(text)}`,
        );
    },
  },
  {
    name: 'reactions and typing: react() and setTyping() complete without posting messages',
    skip: (adapter) =>
      adapter.capabilities.reactions || adapter.capabilities.typing
        ? undefined
        : 'neither reactions nor typing is declared',
    async run(ctx) {
      const target = firstTarget(ctx);
      const { messageId } = await ctx.send(target, { text: ctx.uniqueText('to react to') });
      const fresh = await ctx.observe(async () => {
        if (ctx.adapter.react) await ctx.adapter.react(target, messageId, '👍', sendContext('react'));
        if (ctx.adapter.setTyping) {
          await ctx.adapter.setTyping(target, true);
          await ctx.adapter.setTyping(target, false);
        }
      });
      if (fresh.length > 0) ctx.fail('react() or setTyping() posted a message');
    },
  },
  {
    name: 'inbound: delivers valid messages on this channel and flags (or drops) its own messages',
    skip: (adapter, options) =>
      adapter.start === undefined
        ? 'the adapter has no start()'
        : options.deliverInbound === undefined
          ? 'options.deliverInbound not given'
          : undefined,
    async run(ctx) {
      const chatType = ctx.adapter.capabilities.chatTypes[0]!;
      const self = ctx.uniqueText('self echo');
      const user = ctx.uniqueText('from user');
      const messages = await collectInbound(
        ctx,
        [
          { from: 'self', text: self, chatType },
          { from: 'user', text: user, chatType },
        ],
        (all) => all.some((m) => m.text === user),
      );
      const fromUser = messages.find((m) => m.text === user)!;
      if (fromUser.sender.isSelf === true) ctx.fail("a user's message arrived with sender.isSelf: true");
      const echo = messages.find((m) => m.text === self);
      if (echo !== undefined && echo.sender.isSelf !== true) {
        ctx.fail(
          "the bot's own message arrived without sender.isSelf: true: flag it (or drop it) so the bot never answers itself",
        );
      }
    },
  },
  {
    name: 'nativeMentions: a native mention of the bot sets mentions.self',
    skip: (adapter, options) =>
      !adapter.capabilities.nativeMentions
        ? 'nativeMentions is not declared'
        : adapter.start === undefined
          ? 'the adapter has no start()'
          : options.deliverInbound === undefined
            ? 'options.deliverInbound not given'
            : undefined,
    async run(ctx) {
      const chatType = ctx.adapter.capabilities.chatTypes.find((t) => t !== 'direct') ?? 'direct';
      const mentioned = ctx.uniqueText('mentioned');
      const plain = ctx.uniqueText('not mentioned');
      const messages = await collectInbound(
        ctx,
        [
          { from: 'user', text: mentioned, mention: true, chatType },
          { from: 'user', text: plain, chatType },
        ],
        (all) => all.some((m) => m.text.includes(mentioned)) && all.some((m) => m.text.includes(plain)),
      );
      if (messages.find((m) => m.text.includes(mentioned))?.mentions?.self !== true) {
        ctx.fail('a message that mentions the bot natively arrived without mentions.self: true');
      }
      if (messages.find((m) => m.text.includes(plain))?.mentions?.self === true) {
        ctx.fail('a message without a mention arrived with mentions.self: true');
      }
    },
  },
  {
    name: 'lifecycle: stop() is safe before start() and when called twice',
    skip: (adapter) => (adapter.stop === undefined ? 'the adapter has no stop()' : undefined),
    async run(ctx) {
      try {
        await ctx.adapter.stop!();
        if (ctx.adapter.start) {
          const controller = new AbortController();
          await ctx.adapter.start({ receive: async () => undefined, signal: controller.signal });
          await ctx.adapter.stop!();
          await ctx.adapter.stop!();
          controller.abort();
        }
      } catch (error) {
        ctx.fail(`stop() threw: ${String(error)}`, error);
      }
    },
  },
];

function firstTarget(ctx: CheckContext): ReplyTarget {
  const kind = ctx.adapter.capabilities.chatTypes[0]!;
  return ctx.target(kind, `chatTypes includes "${kind}"`);
}

function sendContext(label: string): SendContext {
  return { idempotencyKey: `conformance:${label}`, signal: new AbortController().signal };
}

/** Start the adapter, ask the platform for `requests`, and wait until `done` or the timeout. */
async function collectInbound(
  ctx: CheckContext,
  requests: readonly InboundRequest[],
  done: (messages: readonly InboundMessage[]) => boolean,
): Promise<InboundMessage[]> {
  const messages: InboundMessage[] = [];
  const problems: string[] = [];
  const controller = new AbortController();
  await ctx.adapter.start!({
    signal: controller.signal,
    receive: async (message) => {
      try {
        const parsed = parseInbound(message);
        if (parsed.channel !== ctx.adapter.id)
          problems.push(
            `an inbound message has channel ${JSON.stringify(parsed.channel)}, expected ${JSON.stringify(ctx.adapter.id)}`,
          );
        messages.push(parsed);
      } catch (error) {
        problems.push(
          `the adapter passed an invalid InboundMessage to receive(): ${(error as Error).message}`,
        );
      }
    },
  });
  try {
    for (const request of requests) await ctx.options.deliverInbound!(request);
    const timeout = ctx.options.inboundTimeoutMs ?? 5000;
    const deadline = Date.now() + timeout;
    while (!done(messages) && problems.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    if (problems.length > 0) ctx.fail(problems[0]!);
    if (!done(messages)) {
      ctx.fail(
        `the platform delivered ${requests.length} message(s) but receive() got ${messages.length} within ${timeout} ms`,
      );
    }
    return messages;
  } finally {
    controller.abort();
    await ctx.adapter.stop?.();
  }
}

/** Every conformance check, in the order `channelConformance` runs them. */
export const conformanceChecks: readonly ConformanceCheck[] = Object.freeze(checks);

let textCounter = 0;

/**
 * Run one conformance check (by name) directly, without vitest: resolves with the outcome, or
 * rejects with a {@link ConformanceError} describing the fault. `channelConformance` wraps each
 * check in an `it`; call this to assert that a deliberately broken adapter is caught.
 */
export async function runConformanceCheck(
  name: string,
  makeAdapter: MakeAdapter,
  options: ChannelConformanceOptions,
): Promise<CheckOutcome> {
  const check = checks.find((c) => c.name === name);
  if (check === undefined) {
    throw new TypeError(
      `Unknown conformance check ${JSON.stringify(name)}; known: ${checks.map((c) => JSON.stringify(c.name)).join(', ')}`,
    );
  }
  const fail = (message: string, cause?: unknown): never => {
    throw new ConformanceError(check.name, message, cause === undefined ? undefined : { cause });
  };
  let adapter: ChannelAdapter;
  try {
    adapter = defineChannel(await makeAdapter());
  } catch (error) {
    if (InvalidAdapterError.isInstance(error)) fail(error.message, error);
    throw error;
  }
  const reason = check.skip(adapter, options);
  if (reason !== undefined) return { status: 'skipped', reason };
  await options.reset?.();
  const ctx: CheckContext = {
    adapter,
    options,
    fail,
    async send(target, message, signal) {
      try {
        return await adapter.send(target, message, {
          idempotencyKey: `conformance:${++textCounter}`,
          signal: signal ?? new AbortController().signal,
        });
      } catch (error) {
        return fail(
          `send() to ${describeTarget(target)} threw: ${error instanceof Error ? error.message : String(error)}`,
          error,
        );
      }
    },
    async observe(action) {
      const before = (await options.received()).length;
      await action();
      return (await options.received()).slice(before);
    },
    uniqueText: (label) => `conformance ${label} #${++textCounter}`,
    target(kind, why) {
      const target = options.targets[kind];
      if (target === undefined) fail(`options.targets.${kind} is required because ${why}`);
      return target!;
    },
  };
  await check.run(ctx);
  return { status: 'passed' };
}
