/**
 * Tiny builders for inbound messages, so each test reads as "who wrote what, where".
 * Copy this file next to your own routing tests.
 */
import { type InboundMessage, parseInbound } from '@claw/channel-kit';

/** Optional parts of a test message. */
export interface Extra {
  readonly accountId?: string;
  readonly sender?: {
    readonly username?: string;
    readonly name?: string;
    readonly e164?: string;
    readonly isBot?: boolean;
  };
  readonly mentionsBot?: boolean;
  readonly mentions?: readonly string[];
  readonly replyToBot?: boolean;
}

let next = 1;

function message(
  channel: string,
  kind: 'direct' | 'group',
  peerId: string,
  from: string,
  text: string,
  extra: Extra,
) {
  // parseInbound validates the envelope exactly as the gateway does, so a test cannot build a
  // message that real traffic could never produce.
  return parseInbound({
    channel,
    accountId: extra.accountId,
    messageId: String(next++),
    peer: { kind, id: peerId },
    sender: { id: from, ...extra.sender },
    text,
    timestamp: Date.UTC(2025, 0, 1),
    mentions:
      extra.mentionsBot || extra.mentions
        ? { self: extra.mentionsBot === true, users: [...(extra.mentions ?? [])] }
        : undefined,
    replyTo: extra.replyToBot ? { messageId: 'bot-message', fromSelf: true } : undefined,
  });
}

/** A direct message on `channel` from `from`. */
export function dmOn(channel: string, from: string, text = 'hello', extra: Extra = {}): InboundMessage {
  return message(channel, 'direct', from, from, text, extra);
}

/** A group message on `channel`, in group `groupId`, from `from`. */
export function groupOn(
  channel: string,
  groupId: string,
  from: string,
  text = 'hello',
  extra: Extra = {},
): InboundMessage {
  return message(channel, 'group', groupId, from, text, extra);
}
