import type { InboundMessage, Mentions, ReplyReference, Sender } from '@claw/channel-kit';

/**
 * Message builders for the access tests (not exported from the package).
 * @internal
 */
export interface MessageOptions {
  readonly channel?: string;
  readonly accountId?: string;
  readonly text?: string;
  readonly sender?: Partial<Sender>;
  readonly mentions?: Mentions;
  readonly replyTo?: ReplyReference;
  readonly threadId?: string;
  readonly parentId?: string;
}

/** A DM from `senderId`. @internal */
export function dm(senderId: string, options: MessageOptions = {}): InboundMessage {
  return build({ kind: 'direct', id: senderId }, senderId, options);
}

/** A group message in `groupId` from `senderId`. @internal */
export function group(groupId: string, senderId: string, options: MessageOptions = {}): InboundMessage {
  return build({ kind: 'group', id: groupId }, senderId, options);
}

function build(peer: InboundMessage['peer'], senderId: string, o: MessageOptions): InboundMessage {
  const msg: { -readonly [K in keyof InboundMessage]: InboundMessage[K] } = {
    channel: o.channel ?? 'telegram',
    messageId: 'm1',
    peer,
    sender: { id: senderId, ...o.sender },
    text: o.text ?? 'hello',
    timestamp: 1_700_000_000_000,
  };
  if (o.accountId !== undefined) msg.accountId = o.accountId;
  if (o.mentions !== undefined) msg.mentions = o.mentions;
  if (o.replyTo !== undefined) msg.replyTo = o.replyTo;
  if (o.threadId !== undefined) msg.threadId = o.threadId;
  if (o.parentId !== undefined) msg.parentPeer = { kind: 'group', id: o.parentId };
  return msg;
}
