import type { ReplyTarget } from '@claw/channel-kit';

/**
 * A string that is equal for two targets exactly when they are the same conversation: same
 * channel, account, peer (kind and id) and thread. `replyToMessageId` is ignored — every reply in
 * a conversation goes to the same place. Injective (a JSON array, so no id can forge another).
 */
export function conversationKeyOf(target: ReplyTarget): string {
  if (
    typeof target !== 'object' ||
    target === null ||
    typeof target.peer !== 'object' ||
    target.peer === null
  ) {
    throw new TypeError(
      'conversationKeyOf: target must be a ReplyTarget ({ channel, accountId, peer: { kind, id }, threadId? })',
    );
  }
  return JSON.stringify([
    target.channel,
    target.accountId,
    target.peer.kind,
    target.peer.id,
    target.threadId ?? null,
  ]);
}
