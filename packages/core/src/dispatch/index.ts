export {
  type BlockCoalescer,
  type BlockCoalescerOptions,
  createBlockCoalescer,
  defaultBlockStreaming,
} from './block-coalescer.js';
export type { ChannelRegistry } from './channels.js';
export { ReplyDispatchError, type ReplyDispatchErrorCode } from './reply-dispatch-error.js';
export { createReplyDispatcher, defaultMaxAgeMs } from './reply-dispatcher.js';
export { defaultRetryPolicy, type RetryPolicy, retryDelay } from './retry.js';
export { conversationKeyOf } from './target-key.js';
export type {
  BlockStream,
  DeliveredPart,
  DeliverOptions,
  DeliveryResult,
  RecoveryReport,
  ReplyDispatcher,
  ReplyDispatcherOptions,
  ReplyToMode,
  StreamOptions,
  StreamSettings,
  TurnReplier,
  TurnReplierOptions,
} from './types.js';
