import { ModelError, type ModelErrorKind } from '../errors/model-error.js';
import { errorKindFromStatus, isContextOverflowMessage } from '../http/classify.js';
import { parseRetryAfter } from '../http/retry-after.js';

interface Context {
  readonly provider: string;
  readonly modelId: string;
}

/** The Messages API error `type` → kind (the type is sent both with HTTP errors and in `error` events). */
const kindByType: Readonly<Record<string, ModelErrorKind>> = {
  rate_limit_error: 'rate_limited',
  overloaded_error: 'overloaded',
  authentication_error: 'auth',
  permission_error: 'auth',
  billing_error: 'auth',
  request_too_large: 'context_overflow',
  not_found_error: 'invalid_request',
  api_error: 'transport',
  timeout_error: 'transport',
};

/**
 * Classify an error thrown by `@anthropic-ai/sdk` (an `APIError` with `status`, `headers` and the
 * JSON body in `error`; a connection error; or an abort) as a `ModelError`. Reads fields
 * structurally, so it works across SDK versions.
 */
export function modelErrorFromAnthropic(error: unknown, context: Context): ModelError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const name = typeof e['name'] === 'string' ? e['name'] : '';
  const base = { provider: context.provider, modelId: context.modelId, cause: error };
  if (name === 'APIUserAbortError' || name === 'AbortError') {
    return new ModelError(`${context.provider} call aborted`, { ...base, kind: 'aborted' });
  }
  const status = typeof e['status'] === 'number' ? e['status'] : undefined;
  const body = e['error'] as { error?: { type?: unknown; message?: unknown } } | undefined;
  const type =
    typeof body?.error?.type === 'string'
      ? body.error.type
      : typeof e['type'] === 'string'
        ? e['type']
        : undefined;
  const apiMessage = typeof body?.error?.message === 'string' ? body.error.message : undefined;
  const message = apiMessage ?? (error instanceof Error ? error.message : String(error));

  let kind: ModelErrorKind;
  if (status === undefined && type === undefined) {
    // No response at all: connection refused/reset, timeout, TLS, DNS, or an unparseable stream.
    kind = 'transport';
  } else if (isContextOverflowMessage(apiMessage) && (type === 'invalid_request_error' || status === 400)) {
    kind = 'context_overflow';
  } else if (type !== undefined && kindByType[type] !== undefined) {
    kind = kindByType[type] as ModelErrorKind;
  } else if (status !== undefined) {
    kind = errorKindFromStatus(status, apiMessage);
  } else {
    kind = 'invalid_request';
  }
  const headers = e['headers'] as { get(name: string): string | null } | undefined;
  const retryAfterMs = typeof headers?.get === 'function' ? parseRetryAfter(headers) : undefined;
  const where =
    status !== undefined ? `responded ${status}` : type !== undefined ? 'stream failed' : 'call failed';
  return new ModelError(`${context.provider} ${where}: ${message}`, {
    ...base,
    kind,
    ...(status === undefined ? {} : { status }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}
