import type { InboundMessage } from '@claw/channel-kit';

/**
 * The pending-history key of a conversation, OpenClaw's shape
 * `<channel>:<accountId>:<kind>:<peerId>` (e.g. `whatsapp:default:group:123@g.us`). Telegram
 * forum topics are part of the peer id, so each topic has its own history. The same key is in
 * `AccessDecision.historyKey`.
 */
export function groupHistoryKey(message: Pick<InboundMessage, 'channel' | 'accountId' | 'peer'>): string {
  return `${message.channel}:${message.accountId ?? 'default'}:${message.peer.kind}:${message.peer.id}`;
}
