export { InvalidArgumentError } from './invalid-argument-error.js';
export {
  isRetryableKind,
  ModelError,
  type ModelErrorKind,
  type ModelErrorOptions,
  modelErrorKinds,
} from './model-error.js';
export { NoSuchProviderError } from './no-such-provider-error.js';
export { abortedError, type ModelErrorContext, toModelError } from './to-model-error.js';
