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

// Hoisted: the check runs for every queued message and every delivered part.
const REQUIRED_FIELDS = ['channel', 'accountId'] as const;
const OPTIONAL_FIELDS = ['threadId', 'replyToMessageId'] as const;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/**
 * What is wrong with a value that should be a {@link ReplyTarget}, or `undefined` when it has the
 * shape: `channel`, `accountId`, `peer.id` non-empty strings, `peer.kind` a string, `threadId` and
 * `replyToMessageId` strings when given. A cheap structural check (no schema) for hot paths that
 * receive targets pinned earlier; use `parseReplyTarget` to validate and normalise untrusted input.
 *
 * @param name how the value is called in the message (default `target`).
 */
export function replyTargetProblem(value: unknown, name = 'target'): string | undefined {
  if (!isRecord(value)) return `${name} must be a ReplyTarget object`;
  for (const field of REQUIRED_FIELDS) {
    const v = value[field];
    if (typeof v !== 'string' || v === '') return `${name}.${field} must be a non-empty string`;
  }
  const peer = value['peer'];
  if (
    !isRecord(peer) ||
    typeof peer['id'] !== 'string' ||
    peer['id'] === '' ||
    typeof peer['kind'] !== 'string'
  ) {
    return `${name}.peer must be { kind, id } with a non-empty id`;
  }
  for (const field of OPTIONAL_FIELDS) {
    if (value[field] !== undefined && typeof value[field] !== 'string') {
      return `${name}.${field} must be a string when given`;
    }
  }
  return undefined;
}
