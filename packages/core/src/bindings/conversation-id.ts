import {
  type ChannelAdapter,
  conversationIdOf,
  defaultConversationId,
  type ReplyTarget,
} from '@claw/channel-kit';

/** Prefixes that name the kind of a target rather than the conversation (dispatch.md §2.4.2). */
const genericPrefixes = ['channel:', 'chat:', 'user:'] as const;

/**
 * The peer id without a kind prefix: the first of `channel:`, `chat:`, `user:` it starts with,
 * else one `<channel>:` prefix; unchanged when stripping would leave nothing.
 */
export function stripConversationPrefix(peerId: string, channel: string): string {
  for (const prefix of genericPrefixes) {
    if (peerId.startsWith(prefix) && peerId.length > prefix.length) return peerId.slice(prefix.length);
  }
  const own = `${channel}:`;
  return peerId.startsWith(own) && peerId.length > own.length ? peerId.slice(own.length) : peerId;
}

/**
 * The conversation id bindings use for `target`: the adapter's own `conversationId(target)` when
 * it defines one; otherwise the peer id with a `user:` / `chat:` / `channel:` prefix stripped,
 * plus `:thread:<threadId>` for a thread (escaped as `defaultConversationId` does, so an id
 * containing `:thread` cannot pass for a thread). `replyToMessageId` never matters.
 *
 * The prefix stripping follows OpenClaw (dispatch.md §2.4.2): `user:U1` and `U1` are one
 * conversation. An adapter whose ids overlap across prefixes (`user:1` vs `channel:1` being two
 * conversations) should define `conversationId`.
 */
export function resolveConversationId(
  adapter: Pick<ChannelAdapter, 'id' | 'conversationId'> | undefined,
  target: ReplyTarget,
): string {
  if (
    typeof target !== 'object' ||
    target === null ||
    typeof target.channel !== 'string' ||
    typeof target.peer !== 'object' ||
    target.peer === null ||
    typeof target.peer.id !== 'string' ||
    target.peer.id === ''
  ) {
    throw new TypeError(
      'resolveConversationId: target must be a ReplyTarget with a channel and a non-empty peer.id',
    );
  }
  if (adapter?.conversationId !== undefined) return conversationIdOf(adapter, target);
  const peerId = stripConversationPrefix(target.peer.id, target.channel);
  return defaultConversationId({
    peer: { kind: target.peer.kind, id: peerId },
    ...(target.threadId === undefined ? {} : { threadId: target.threadId }),
  });
}

const escapeSegment = (segment: string): string => segment.replace(/%/g, '%25').replace(/:/g, '%3A');

/**
 * The id of the binding of a conversation: `binding:<channel>:<account>:<conversation>` with `%`
 * and `:` escaped in each segment, so two different conversations never share an id.
 */
export function bindingIdOf(channel: string, accountId: string, conversationId: string): string {
  return `${bindingScopeOf(channel, accountId)}${escapeSegment(conversationId)}`;
}

/**
 * The common prefix of the ids of every binding of a channel and account:
 * `binding:<channel>:<account>:` (what `bindingIdScope` in `stores/` cuts from an id). @internal
 */
export function bindingScopeOf(channel: string, accountId: string): string {
  return `binding:${escapeSegment(channel)}:${escapeSegment(accountId)}:`;
}
