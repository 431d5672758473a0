export { type GuardStreamOptions, guardStream } from './guard-stream.js';
export { parseToolInput } from './parse-tool-input.js';
export { addUsage, emptyUsage } from './usage.js';
export {
  createStreamValidator,
  type StreamIssue,
  type StreamValidation,
  type StreamValidator,
  validateStream,
} from './validate-stream.js';
