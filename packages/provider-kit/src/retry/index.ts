export { sleep } from './sleep.js';
export { type RetryEvent, type RetryPolicy, retryDelay, withRetry } from './with-retry.js';
