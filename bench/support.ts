/** Small helpers shared by the benchmarks (not a benchmark itself: `bench/run.ts` runs `*.bench.ts`). */

/** `global.gc` when node runs with `--expose-gc` (as `bench/run.ts` does), else undefined. */
export const gc = (globalThis as { gc?: () => void }).gc;

/** A whole number with thousands separators. */
export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Bytes as MB with one decimal. */
export const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

/** Heap in use after two full collections (when `gc` is exposed). */
export function heap(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

/** The median of a non-empty list. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Stop the benchmark: a self-check failed, so its figures would mean nothing. */
export function fail(message: string): never {
  console.error(`CHECK FAILED: ${message}`);
  process.exit(1);
}
