import { ModelError } from './model-error.js';

/** Where an error happened, for {@link toModelError}. */
export interface ModelErrorContext {
  /** Provider name to report. */
  readonly provider: string;
  /** Model id to report. */
  readonly modelId?: string;
  /** Whether the stream had already produced a part. */
  readonly afterFirstPart?: boolean;
}

/**
 * Classify anything thrown while calling a model. A `ModelError` passes through (marked
 * `afterFirstPart` when needed); an abort (`AbortError`, or `signal.reason`) becomes `aborted`;
 * anything else is a `transport` failure, with the original as `cause`.
 */
export function toModelError(error: unknown, context: ModelErrorContext): ModelError {
  if (ModelError.isInstance(error)) {
    return context.afterFirstPart ? error.markAfterFirstPart() : error;
  }
  const base = {
    provider: context.provider,
    afterFirstPart: context.afterFirstPart ?? false,
    cause: error,
    ...(context.modelId === undefined ? {} : { modelId: context.modelId }),
  };
  if (isAbortError(error)) {
    return new ModelError(`${context.provider} call aborted`, { ...base, kind: 'aborted' });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new ModelError(`${context.provider} call failed: ${detail}`, { ...base, kind: 'transport' });
}

/** The error reported when the caller's signal fires. */
export function abortedError(context: ModelErrorContext & { readonly reason?: unknown }): ModelError {
  return new ModelError(`${context.provider} call aborted`, {
    kind: 'aborted',
    provider: context.provider,
    afterFirstPart: context.afterFirstPart ?? false,
    ...(context.modelId === undefined ? {} : { modelId: context.modelId }),
    ...(context.reason === undefined ? {} : { cause: context.reason }),
  });
}

function isAbortError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    ((error as { name?: unknown }).name === 'AbortError' ||
      (error as { name?: unknown }).name === 'APIUserAbortError')
  );
}
