export { SessionQueueError, type SessionQueueErrorCode } from './session-queue-error.js';
export {
  createSessionQueues,
  defaultLaneConcurrency,
  defaultQueueSettings,
  summaryLine,
} from './session-queues.js';
export type {
  DroppedMessages,
  DropReason,
  EnqueueResult,
  MessageOutcome,
  QueueDropPolicy,
  QueuedMessage,
  QueueItem,
  QueueLane,
  QueueSettings,
  SessionQueues,
  SessionQueuesOptions,
  SessionTurn,
  SteerInbox,
  StopReport,
} from './types.js';
