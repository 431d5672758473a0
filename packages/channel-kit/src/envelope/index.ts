export { normalizeChatType } from './chat-type.js';
export { parseInbound, parseReplyTarget } from './parse.js';
export { replyTargetOf, replyTargetProblem } from './reply-target.js';
export {
  chatTypeSchema,
  inboundMessageSchema,
  mentionsSchema,
  peerSchema,
  replyReferenceSchema,
  replyTargetSchema,
  senderSchema,
} from './schema.js';
export type {
  ChatType,
  InboundMessage,
  Mentions,
  Peer,
  ReplyReference,
  ReplyTarget,
  Sender,
} from './types.js';
