import type { ModelRequest } from './request.js';
import type { StreamPart } from './stream.js';

/** What a model can do. Helpers check these before sending a request the model cannot serve. */
export interface ModelCapabilities {
  /** Accepts `tools` and produces tool calls. */
  readonly tools: boolean;
  /** Streams its answer incrementally (if false, the whole answer arrives as few large parts). */
  readonly streaming: boolean;
  /** Accepts `image` parts in user messages. */
  readonly images: boolean;
}

/** Per-call options of {@link LanguageModel.stream}. */
export interface StreamOptions {
  /**
   * Cancels the call. The stream then ends promptly with an `error` part of kind `aborted`
   * (it does not throw).
   */
  readonly signal?: AbortSignal;
  /** Extra HTTP headers for this call (providers that speak HTTP send them). */
  readonly headers?: { readonly [name: string]: string };
}

/**
 * A language model, whatever the vendor: the one interface everything else in the SDK talks to.
 * A plain object; a provider creates it.
 */
export interface LanguageModel {
  /** Version of this contract the model implements. */
  readonly specificationVersion: 'v1';
  /** Name of the provider, e.g. `anthropic`, `ollama` (lowercase, no `:`). */
  readonly provider: string;
  /** The vendor's model id, e.g. `claude-sonnet-4-5`, `llama3.1:8b`. */
  readonly modelId: string;
  /** What the model can do. */
  readonly capabilities: ModelCapabilities;
  /**
   * Run one model call and stream the answer as {@link StreamPart}s.
   *
   * Never throws and never rejects for a failed call: every failure, including an invalid request
   * and an abort, is reported as a final `error` part carrying a `ModelError`. Exactly one `finish`
   * or `error` part ends the stream. Breaking out of the iteration cancels the underlying request.
   */
  stream(request: ModelRequest, options?: StreamOptions): AsyncIterable<StreamPart>;
}

/**
 * A provider: a named factory of models (one API, one set of credentials). Register providers in
 * `createProviderRegistry` and resolve models by `"provider:modelId"`.
 */
export interface Provider {
  /** Version of this contract the provider implements. */
  readonly specificationVersion: 'v1';
  /** Default name of the provider, e.g. `anthropic` (the registry key may differ). */
  readonly name: string;
  /**
   * The model with this id. Does no I/O: an unknown id is reported by the vendor on the first
   * call (as an `invalid_request` error).
   */
  languageModel(modelId: string): LanguageModel;
}
