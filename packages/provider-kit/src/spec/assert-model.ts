import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { LanguageModel } from './model.js';

/** Throws an `InvalidArgumentError` unless `value` looks like a {@link LanguageModel}. */
export function assertLanguageModel(value: unknown, argument: string): asserts value is LanguageModel {
  const m = value as Partial<LanguageModel> | null;
  if (
    typeof m !== 'object' ||
    m === null ||
    typeof m.stream !== 'function' ||
    typeof m.provider !== 'string' ||
    typeof m.modelId !== 'string'
  ) {
    throw new InvalidArgumentError(
      argument,
      'expected a LanguageModel ({ specificationVersion, provider, modelId, capabilities, stream })',
    );
  }
  if (m.specificationVersion !== 'v1') {
    throw new InvalidArgumentError(
      argument,
      `model "${m.provider}:${m.modelId}" implements specification ${JSON.stringify(m.specificationVersion)}; this version of @claw/provider-kit supports "v1"`,
    );
  }
}
