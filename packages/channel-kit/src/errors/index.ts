export {
  ChannelSendError,
  type ChannelSendErrorOptions,
  type ChannelSendErrorReason,
  channelSendErrorReasons,
  isChannelSendErrorReason,
} from './channel-send-error.js';
export { type AdapterIssue, InvalidAdapterError } from './invalid-adapter-error.js';
export { InvalidMessageError, type MessageIssue } from './invalid-message-error.js';
