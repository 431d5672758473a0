const marker = Symbol.for('claw.error.ModelError');

/**
 * What kind of failure a model call hit. Wrappers decide by kind, never by message text.
 * - `rate_limited`: the provider asked us to slow down (HTTP 429); see `retryAfterMs`. Retryable.
 * - `overloaded`: the provider is temporarily out of capacity (Anthropic 529, HTTP 503). Retryable.
 * - `auth`: credentials are missing, invalid or lack permission (HTTP 401/403). Not retryable,
 *   but another provider may serve the request (`withFallback` moves on).
 * - `context_overflow`: the prompt does not fit the model's context window. Not retryable as is.
 * - `invalid_request`: the provider rejected the request (bad parameter, unknown model, HTTP 400/404/422),
 *   or the request failed local validation. Not retryable.
 * - `transport`: the connection failed, timed out, returned a 5xx, or sent a stream we could not
 *   parse. Retryable.
 * - `aborted`: the caller's `AbortSignal` fired. Never retried.
 */
export type ModelErrorKind =
  | 'rate_limited'
  | 'overloaded'
  | 'auth'
  | 'context_overflow'
  | 'invalid_request'
  | 'transport'
  | 'aborted';

/** Every {@link ModelErrorKind}, for validation and exhaustive tests. */
export const modelErrorKinds: readonly ModelErrorKind[] = [
  'rate_limited',
  'overloaded',
  'auth',
  'context_overflow',
  'invalid_request',
  'transport',
  'aborted',
];

const retryableKinds: ReadonlySet<ModelErrorKind> = new Set(['rate_limited', 'overloaded', 'transport']);

/** True when a failure of this kind may go away by trying the same request again later. */
export function isRetryableKind(kind: ModelErrorKind): boolean {
  return retryableKinds.has(kind);
}

/** Options for {@link ModelError}. */
export interface ModelErrorOptions {
  /** What kind of failure this is. */
  readonly kind: ModelErrorKind;
  /** Name of the provider that failed, e.g. `anthropic`. */
  readonly provider: string;
  /** The model that failed, when known. */
  readonly modelId?: string;
  /** HTTP status of the failed response, when there was one. */
  readonly status?: number;
  /** How long the provider asked us to wait before retrying, in milliseconds. */
  readonly retryAfterMs?: number;
  /**
   * True when the failure happened after the stream produced its first part (some output was
   * already delivered, so a retry would repeat it). Default false.
   */
  readonly afterFirstPart?: boolean;
  /** The underlying error or response body. */
  readonly cause?: unknown;
}

/**
 * A failed model call, classified. Providers report it as the final `error` stream part; helpers
 * such as `generate` and `runToolLoop` throw it.
 */
export class ModelError extends Error {
  readonly [marker] = true;
  override readonly name = 'ModelError';
  /** What kind of failure this is. */
  readonly kind: ModelErrorKind;
  /** Name of the provider that failed. */
  readonly provider: string;
  /** The model that failed, when known. */
  readonly modelId: string | undefined;
  /** HTTP status of the failed response, when there was one. */
  readonly status: number | undefined;
  /** How long the provider asked us to wait before retrying, in milliseconds, when it said. */
  readonly retryAfterMs: number | undefined;
  /** True when the failure happened after the stream produced its first part. */
  readonly afterFirstPart: boolean;
  /** Whether trying the same request again later may succeed (derived from `kind`). */
  readonly retryable: boolean;

  constructor(message: string, options: ModelErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = options.kind;
    this.provider = options.provider;
    this.modelId = options.modelId;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.afterFirstPart = options.afterFirstPart ?? false;
    this.retryable = isRetryableKind(options.kind);
  }

  /** This error, marked as having happened after the stream's first part (a copy; errors are immutable). */
  markAfterFirstPart(): ModelError {
    if (this.afterFirstPart) return this;
    const copy = new ModelError(this.message, { ...this.options(), afterFirstPart: true });
    if (this.stack !== undefined) copy.stack = this.stack;
    return copy;
  }

  private options(): ModelErrorOptions {
    return {
      kind: this.kind,
      provider: this.provider,
      afterFirstPart: this.afterFirstPart,
      ...(this.modelId === undefined ? {} : { modelId: this.modelId }),
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.retryAfterMs === undefined ? {} : { retryAfterMs: this.retryAfterMs }),
      ...(this.cause === undefined ? {} : { cause: this.cause }),
    };
  }

  /** True for a `ModelError`, even one created by another copy of this package. */
  static isInstance(error: unknown): error is ModelError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
