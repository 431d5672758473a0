export { errorKindFromStatus, isContextOverflowMessage } from './classify.js';
export { parseRetryAfter } from './retry-after.js';
export { readServerSentEvents, type ServerSentEvent } from './server-sent-events.js';
