import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { ModelError, type ModelErrorKind, modelErrorKinds } from '../errors/model-error.js';
import { assertLanguageModel } from '../spec/assert-model.js';
import type { LanguageModel, ModelCapabilities } from '../spec/model.js';
import type { ModelRequest } from '../spec/request.js';
import type { StreamPart } from '../spec/stream.js';
import { guardStream } from '../stream/guard-stream.js';

/** What `onFallback` is told when a model fails and the next one is tried. */
export interface FallbackEvent {
  /** The model that failed. */
  readonly from: LanguageModel;
  /** The model tried next. */
  readonly to: LanguageModel;
  /** Why `from` failed. */
  readonly error: ModelError;
}

/** How {@link withFallback} fails over. Every field is optional. */
export interface FallbackPolicy {
  /**
   * Which failures move on to the next model (default `rate_limited`, `overloaded`, `auth`,
   * `transport`). `context_overflow` and `invalid_request` are not in the default: the next model
   * would most likely reject the same request. `aborted` never falls back.
   */
  readonly fallbackOn?: readonly ModelErrorKind[];
  /** Called each time the wrapper moves on to the next model. */
  readonly onFallback?: (event: FallbackEvent) => void;
}

const defaultFallbackOn: readonly ModelErrorKind[] = ['rate_limited', 'overloaded', 'auth', 'transport'];

/**
 * A model that tries `models` in order: when one fails before streaming anything with a
 * failover kind (rate limit, overload, auth, transport by default), the next one is called with
 * the same request. A model that cannot serve the request (tools or images it does not support) is
 * skipped. Once a model has streamed a part, it owns the answer: a later failure is passed on.
 *
 * The `finish` part's `response` names the model that actually answered; `onFallback` reports each
 * switch. Wrap each model in `withRetry` first to retry a model before leaving it.
 *
 * The wrapper reports the first model's `provider` and `modelId`, and the union of the models'
 * capabilities (a request any of them can serve is accepted).
 *
 * @throws InvalidArgumentError when `models` is empty or holds something that is not a model, or
 *   the policy is invalid.
 */
export function withFallback(models: readonly LanguageModel[], policy: FallbackPolicy = {}): LanguageModel {
  if (!Array.isArray(models) || models.length === 0) {
    throw new InvalidArgumentError('models', 'expected a non-empty array of language models');
  }
  for (const [i, model] of models.entries()) assertLanguageModel(model, `models.${i}`);
  if (typeof policy !== 'object' || policy === null) {
    throw new InvalidArgumentError('policy', 'expected a fallback policy object');
  }
  for (const kind of policy.fallbackOn ?? []) {
    if (!modelErrorKinds.includes(kind) || kind === 'aborted') {
      throw new InvalidArgumentError(
        'policy.fallbackOn',
        `"${String(kind)}" cannot trigger a fallback; allowed: ${modelErrorKinds.filter((k) => k !== 'aborted').join(', ')}`,
      );
    }
  }
  if (policy.onFallback !== undefined && typeof policy.onFallback !== 'function') {
    throw new InvalidArgumentError('policy.onFallback', 'must be a function');
  }
  const fallbackOn = new Set(policy.fallbackOn ?? defaultFallbackOn);
  const primary = models[0] as LanguageModel;
  const capabilities: ModelCapabilities = {
    tools: models.some((m) => m.capabilities.tools),
    streaming: models.some((m) => m.capabilities.streaming),
    images: models.some((m) => m.capabilities.images),
  };

  return {
    specificationVersion: 'v1',
    provider: primary.provider,
    modelId: primary.modelId,
    capabilities,
    stream(request, options = {}) {
      return guardStream(
        async function* (signal): AsyncGenerator<StreamPart> {
          const candidates = models.filter((m) => canServe(m, request));
          if (candidates.length === 0) {
            yield {
              type: 'error',
              error: new ModelError(
                `none of the fallback models (${models.map(label).join(', ')}) supports ${needs(request).join(' and ')}`,
                { kind: 'invalid_request', provider: primary.provider, modelId: primary.modelId },
              ),
            };
            return;
          }
          const failures: ModelError[] = [];
          for (const [i, model] of candidates.entries()) {
            const next = candidates[i + 1];
            let first = true;
            let failed: ModelError | undefined;
            for await (const part of model.stream(request, { ...options, signal })) {
              if (first && part.type === 'error' && next && fallbackOn.has(part.error.kind)) {
                failed = part.error;
                break;
              }
              first = false;
              if (part.type === 'finish' && part.response === undefined) {
                yield { ...part, response: { provider: model.provider, modelId: model.modelId } };
              } else if (part.type === 'error' && failures.length > 0 && !part.error.afterFirstPart) {
                yield { type: 'error', error: exhausted([...failures, part.error], candidates) };
              } else {
                yield part;
              }
            }
            if (!failed || !next) return;
            failures.push(failed);
            policy.onFallback?.({ from: model, to: next, error: failed });
          }
        },
        { provider: primary.provider, modelId: primary.modelId, signal: options.signal },
      );
    },
  };
}

/** The last failure, with a message naming every model tried and how it failed. */
function exhausted(failures: readonly ModelError[], models: readonly LanguageModel[]): ModelError {
  const last = failures[failures.length - 1] as ModelError;
  const summary = failures.map((f, i) => `${label(models[i] as LanguageModel)}: ${f.kind}`).join(', ');
  return new ModelError(
    `fallback failed after trying ${failures.length} models (${summary}); last: ${last.message}`,
    {
      kind: last.kind,
      provider: last.provider,
      cause: failures,
      ...(last.modelId === undefined ? {} : { modelId: last.modelId }),
      ...(last.status === undefined ? {} : { status: last.status }),
      ...(last.retryAfterMs === undefined ? {} : { retryAfterMs: last.retryAfterMs }),
    },
  );
}

function needs(request: ModelRequest): string[] {
  const list: string[] = [];
  if ((request.tools?.length ?? 0) > 0) list.push('tools');
  if (hasImages(request)) list.push('images');
  return list;
}

function canServe(model: LanguageModel, request: ModelRequest): boolean {
  if ((request.tools?.length ?? 0) > 0 && !model.capabilities.tools) return false;
  if (!model.capabilities.images && hasImages(request)) return false;
  return true;
}

function hasImages(request: ModelRequest): boolean {
  return (request.messages ?? []).some(
    (m) => m.role === 'user' && typeof m.content !== 'string' && m.content.some((p) => p.type === 'image'),
  );
}

function label(model: LanguageModel): string {
  return `${model.provider}:${model.modelId}`;
}
