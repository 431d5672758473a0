import { ModelError, type ModelErrorKind } from '../errors/model-error.js';
import { errorKindFromStatus, isContextOverflowMessage } from '../http/classify.js';
import { parseRetryAfter } from '../http/retry-after.js';

interface ErrorContext {
  readonly provider: string;
  readonly modelId: string;
}

/** The `{ message, type, code }` of an OpenAI-style error body (`{ error: {…} }` or `{ error: "…" }`). */
export function errorDetails(body: unknown): { message?: string; type?: string; code?: string | number } {
  const error = (body as { error?: unknown } | null)?.error ?? body;
  if (typeof error === 'string') return { message: error };
  if (typeof error !== 'object' || error === null) return {};
  const e = error as Record<string, unknown>;
  return {
    ...(typeof e['message'] === 'string' ? { message: e['message'] } : {}),
    ...(typeof e['type'] === 'string' ? { type: e['type'] } : {}),
    ...(typeof e['code'] === 'string' || typeof e['code'] === 'number' ? { code: e['code'] } : {}),
  };
}

/** Classify an OpenAI-style error by its code/type first (they are more precise), then by status. */
export function kindFromDetails(
  details: ReturnType<typeof errorDetails>,
  status: number | undefined,
): ModelErrorKind {
  const code = String(details.code ?? '');
  const type = details.type ?? '';
  if (code === 'context_length_exceeded' || isContextOverflowMessage(details.message))
    return 'context_overflow';
  // 429 "insufficient_quota" means the account is out of credit: waiting will not help, another provider may.
  if (code === 'insufficient_quota') return 'auth';
  if (code === 'invalid_api_key' || /authentication|permission/i.test(type)) return 'auth';
  if (code === 'rate_limit_exceeded' || /rate_limit/i.test(type)) return 'rate_limited';
  if (/overloaded/i.test(type) || /overloaded/i.test(details.message ?? '')) return 'overloaded';
  if (status !== undefined) return errorKindFromStatus(status, details.message);
  if (typeof details.code === 'number') return errorKindFromStatus(details.code, details.message);
  if (/server_error|internal/i.test(type)) return 'transport';
  return 'invalid_request';
}

/** A `ModelError` for a non-2xx response (reads the body). */
export async function errorFromResponse(response: Response, context: ErrorContext): Promise<ModelError> {
  let text = '';
  try {
    text = await response.text();
  } catch {
    // The body is optional for classification: the status is enough.
  }
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's HTML page, plain text): keep the text.
  }
  const details = errorDetails(body);
  const kind = kindFromDetails(details, response.status);
  const retryAfterMs = parseRetryAfter(response.headers);
  const reason = details.message ?? (text.slice(0, 200) || response.statusText);
  return new ModelError(`${context.provider} responded ${response.status}: ${reason}`, {
    kind,
    provider: context.provider,
    modelId: context.modelId,
    status: response.status,
    cause: body,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

/** A `ModelError` for an error object sent inside the stream. */
export function errorFromChunk(body: unknown, context: ErrorContext): ModelError {
  const details = errorDetails(body);
  const status = typeof details.code === 'number' ? details.code : undefined;
  return new ModelError(`${context.provider} stream failed: ${details.message ?? 'unknown error'}`, {
    kind: kindFromDetails(details, status),
    provider: context.provider,
    modelId: context.modelId,
    cause: body,
    ...(status === undefined ? {} : { status }),
  });
}
