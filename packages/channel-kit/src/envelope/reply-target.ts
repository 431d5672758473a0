import type { InboundMessage, ReplyTarget } from './types.js';

/**
 * Pin the place where the answer to `message` must go: same channel, account, conversation and
 * thread, replying to the message itself. The result is frozen; nothing downstream can move it.
 */
export function replyTargetOf(
  message: InboundMessage,
  options: { replyToMessage?: boolean } = {},
): ReplyTarget {
  const target: { -readonly [K in keyof ReplyTarget]: ReplyTarget[K] } = {
    channel: message.channel,
    accountId: message.accountId?.trim() || 'default',
    peer: Object.freeze({ kind: message.peer.kind, id: message.peer.id }),
  };
  if (message.threadId !== undefined) target.threadId = message.threadId;
  if (options.replyToMessage !== false) target.replyToMessageId = message.messageId;
  return Object.freeze(target);
}
