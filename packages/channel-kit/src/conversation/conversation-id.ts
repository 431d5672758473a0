import type { ChannelAdapter } from '../adapter/types.js';
import type { ReplyTarget } from '../envelope/types.js';

const separator = ':thread:';

/**
 * Escape an id segment so the `:thread:` separator can only ever be the separator: `%` becomes
 * `%25`, and a `:` that would start `:thread:` (or end the segment in `:thread`) becomes `%3A`.
 * Every other id — including Matrix `!room:server` and Telegram `<chat>:topic:<n>` — is unchanged.
 */
function escapeSegment(id: string): string {
  return id.replace(/%/g, '%25').replace(/:(?=thread(?::|$))/g, '%3A');
}

function unescapeSegment(segment: string): string {
  // One pass, so an escaped `%25` followed by `3A` is never decoded twice.
  return segment.replace(/%(25|3A)/g, (_, code: string) => (code === '25' ? '%' : ':'));
}

/**
 * The conversation id of a target when the adapter does not define `conversationId`: the peer
 * id, plus `:thread:<threadId>` when the target is in a thread. `replyToMessageId` is ignored
 * (every reply in a conversation belongs to the same binding).
 *
 * Injective: two targets get the same id only when they have the same peer id and thread. Ids
 * that contain `%` or `:thread` are escaped to guarantee it; all other ids appear verbatim, so
 * a Telegram forum topic keeps OpenClaw's `<chatId>:topic:<topicId>` shape.
 */
export function defaultConversationId(target: Pick<ReplyTarget, 'peer' | 'threadId'>): string {
  const base = escapeSegment(target.peer.id);
  return target.threadId === undefined ? base : `${base}${separator}${escapeSegment(target.threadId)}`;
}

/** Inverse of {@link defaultConversationId}: the peer id and thread id an id was built from. */
export function parseConversationId(conversationId: string): { peerId: string; threadId?: string } {
  // The first separator is the real one: escaped segments never contain `:thread:`, and the
  // escaped peer never ends in `:thread`, so no occurrence can straddle the boundary.
  const at = conversationId.indexOf(separator);
  if (at < 0) return { peerId: unescapeSegment(conversationId) };
  return {
    peerId: unescapeSegment(conversationId.slice(0, at)),
    threadId: unescapeSegment(conversationId.slice(at + separator.length)),
  };
}

/**
 * The conversation id the core uses for bindings: the adapter's own `conversationId(target)` when
 * it has one, else {@link defaultConversationId}.
 *
 * @throws {TypeError} when the adapter's `conversationId` returns something other than a non-empty string.
 */
export function conversationIdOf(
  adapter: Pick<ChannelAdapter, 'id' | 'conversationId'>,
  target: ReplyTarget,
): string {
  if (adapter.conversationId === undefined) return defaultConversationId(target);
  const id: unknown = adapter.conversationId(target);
  if (typeof id !== 'string' || id.trim() === '') {
    throw new TypeError(
      `Channel "${adapter.id}": conversationId(target) must return a non-empty string, got ${JSON.stringify(id)}`,
    );
  }
  return id;
}
