import type { ModelErrorKind } from '../errors/model-error.js';

// Phrases vendors use when a prompt does not fit the context window (Anthropic, OpenAI, vLLM,
// Ollama, llama.cpp, Moonshot …). Matched case-insensitively on the error message.
const contextOverflowPattern =
  /prompt is too long|context[ _-]?(length|window)|maximum context|too many tokens|exceeds? the (model'?s )?(context|maximum)|input (is )?too long|reduce the length/i;

/** True when an error message says the prompt does not fit the model's context window. */
export function isContextOverflowMessage(message: string | undefined | null): boolean {
  return typeof message === 'string' && contextOverflowPattern.test(message);
}

/**
 * The `ModelError` kind for an HTTP error status (and message, to recognise context overflow in a
 * 400): 429 → `rate_limited`; 503 and 529 → `overloaded`; 401, 402, 403 → `auth`; 413 or a 400 about
 * the context window → `context_overflow`; 408, 409 and other 5xx → `transport`; other 4xx →
 * `invalid_request`.
 */
export function errorKindFromStatus(status: number, message?: string | null): ModelErrorKind {
  if (status === 429) return 'rate_limited';
  if (status === 503 || status === 529) return 'overloaded';
  if (status === 401 || status === 402 || status === 403) return 'auth';
  if (status === 413) return 'context_overflow';
  if (status === 408 || status === 409 || status >= 500) return 'transport';
  if (isContextOverflowMessage(message)) return 'context_overflow';
  return 'invalid_request';
}
