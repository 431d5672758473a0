import type { InboundMessage } from '@claw/channel-kit';

/**
 * The pending-history key of a conversation, OpenClaw's shape
 * `<channel>:<accountId>:<kind>:<peerId>` (e.g. `whatsapp:default:group:123@g.us`). Telegram
 * forum topics are part of the peer id, so each topic has its own history. Unlike OpenClaw, a
 * thread (`threadId`) gets its own history too (`…:thread:<threadId>`): chatter in a channel's
 * main timeline is never handed to a turn in one of its threads, and the reverse, just as their
 * sessions are separate. The same key is in `AccessDecision.historyKey`.
 */
export function groupHistoryKey(
  message: Pick<InboundMessage, 'channel' | 'accountId' | 'peer' | 'threadId'>,
): string {
  const base = `${message.channel}:${message.accountId?.trim() || 'default'}:${message.peer.kind}:${message.peer.id}`;
  return message.threadId === undefined ? base : `${base}:thread:${message.threadId}`;
}
