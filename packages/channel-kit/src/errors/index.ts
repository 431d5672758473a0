export {
  ChannelSendError,
  type ChannelSendErrorOptions,
  type ChannelSendErrorReason,
} from './channel-send-error.js';
export { InvalidMessageError, type MessageIssue } from './invalid-message-error.js';
