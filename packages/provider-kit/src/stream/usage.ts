import type { Usage } from '../spec/stream.js';

/** Usage of nothing: zero tokens. */
export const emptyUsage: Usage = Object.freeze({ inputTokens: 0, outputTokens: 0 });

/** The sum of two usages (cache counts are kept only when either side reports them). */
export function addUsage(a: Usage, b: Usage): Usage {
  const cacheRead = sumOptional(a.cacheReadTokens, b.cacheReadTokens);
  const cacheWrite = sumOptional(a.cacheWriteTokens, b.cacheWriteTokens);
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    ...(cacheRead === undefined ? {} : { cacheReadTokens: cacheRead }),
    ...(cacheWrite === undefined ? {} : { cacheWriteTokens: cacheWrite }),
  };
}

function sumOptional(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);
}
