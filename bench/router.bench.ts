/**
 * Router and session-key benchmarks (issue 2, §5). Generates the standard workload
 * (`bench/workload/router-workload.mjs`) into a temp dir, checks every input's `expect`
 * (agentId, matchedBy, sessionKey) against `router.resolve` (exits non-zero on any mismatch), then
 * measures, on one core:
 *   - `router.resolve` with 10, 1 000 and 100 000 bindings (warm; cached-heavy and all-distinct inputs),
 *   - `createRouter` with 100 000 bindings (median of several runs) and its retained heap,
 *   - `buildSessionKey`.
 * Throughput is reported per CPU-second of this process (the machine is shared) and per wall second.
 * Run with `pnpm bench router` (or `node --expose-gc --import tsx bench/router.bench.ts`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildSessionKey,
  createRouter,
  type RouteInput,
  type RoutingConfig,
  type SessionKeyInput,
} from '@claw/core';

interface WorkloadInput extends RouteInput {
  readonly expect: { readonly agentId: string; readonly matchedBy: string; readonly sessionKey: string };
}

const SIZES = [10, 1000, 100_000];
const ROUNDS = 7;
const ROUND_MS = 250;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Microseconds of CPU this process has used (user + system). */
function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/**
 * Throughput of `fn` over `inputs`: ROUNDS rounds of ≥ ROUND_MS each, median. `cpu` counts ops per
 * second of this process's CPU time, so other work on a shared machine does not count against it
 * (cache interference still does); `wall` is ops per wall-clock second.
 */
function measure<T>(inputs: readonly T[], fn: (input: T) => number): { cpu: number; wall: number } {
  let sink = 0;
  for (let w = 0; w < 3; w++) for (const input of inputs) sink += fn(input); // warm-up (JIT)
  const cpuRates: number[] = [];
  const wallRates: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let ops = 0;
    const start = performance.now();
    const cpuStart = cpuMicros();
    let elapsed = 0;
    do {
      for (let i = 0; i < inputs.length; i++) sink += fn(inputs[i] as T);
      ops += inputs.length;
      elapsed = performance.now() - start;
    } while (elapsed < ROUND_MS);
    const cpuMs = (cpuMicros() - cpuStart) / 1000;
    wallRates.push((ops / elapsed) * 1000);
    cpuRates.push((ops / Math.max(cpuMs, 0.001)) * 1000);
  }
  if (sink === 42) console.log(''); // keep the work observable
  return { cpu: median(cpuRates), wall: median(wallRates) };
}

/** Median CPU and wall milliseconds of `fn` over `runs` runs (a full GC before each). */
function time(runs: number, fn: () => void): { cpu: number; wall: number } {
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let r = 0; r < runs; r++) {
    gc();
    const start = performance.now();
    const cpuStart = cpuMicros();
    fn();
    cpu.push((cpuMicros() - cpuStart) / 1000);
    wall.push(performance.now() - start);
  }
  return { cpu: median(cpu), wall: median(wall) };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const us = (opsPerSecond: number) => (1e6 / opsPerSecond).toFixed(3);
const rateRow = (name: string, rate: { cpu: number; wall: number }) => [
  name,
  fmt(rate.cpu),
  us(rate.cpu),
  fmt(rate.wall),
  '',
  '',
];

const dir = mkdtempSync(join(tmpdir(), 'claw-router-bench-'));
try {
  const generator = fileURLToPath(new URL('./workload/router-workload.mjs', import.meta.url));
  const gen = spawnSync(process.execPath, [generator, dir, '--sizes', SIZES.join(',')], { encoding: 'utf8' });
  if (gen.status !== 0) throw new Error(`workload generator failed: ${gen.stderr}`);
  const load = <T>(name: string): T => JSON.parse(readFileSync(join(dir, name), 'utf8')) as T;

  console.log(
    `node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores (one used)`,
  );
  const rows: string[][] = [];
  const resolveRates = new Map<number, number>();
  let mismatches = 0;
  let createMs100k = 0;

  for (const n of SIZES) {
    const config = load<RoutingConfig>(`config-n${n}.json`);
    const cached = load<WorkloadInput[]>(`inputs-n${n}-cached.json`);
    const distinct = load<WorkloadInput[]>(`inputs-n${n}-distinct.json`);

    // Creation: median of several runs, and the heap the router keeps.
    let router = createRouter(config);
    const created = time(n >= 100_000 ? 7 : 21, () => {
      router = createRouter(config);
    });
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    let kept: unknown = createRouter(config);
    gc();
    const heapAfter = process.memoryUsage().heapUsed;
    kept = undefined;
    void kept;

    // Correctness: every expect must hold.
    for (const input of [...cached, ...distinct]) {
      const route = router.resolve(input);
      const e = input.expect;
      if (
        route.agentId !== e.agentId ||
        route.matchedBy !== e.matchedBy ||
        route.sessionKey !== e.sessionKey
      ) {
        if (mismatches++ < 10) {
          console.error(`MISMATCH n=${n}: ${JSON.stringify(input)} → ${JSON.stringify(route)}`);
        }
      }
    }

    const cachedRate = measure(cached, (input) => router.resolve(input).sessionKey.length);
    const distinctRate = measure(distinct, (input) => router.resolve(input).sessionKey.length);
    resolveRates.set(n, Math.min(cachedRate.cpu, distinctRate.cpu));
    rows.push(rateRow(`resolve, ${fmt(n)} bindings (cached-heavy inputs)`, cachedRate));
    rows.push(rateRow(`resolve, ${fmt(n)} bindings (all-distinct inputs)`, distinctRate));
    rows.push([
      `createRouter, ${fmt(n)} bindings`,
      '',
      '',
      '',
      `${created.cpu.toFixed(2)} ms (wall ${created.wall.toFixed(2)} ms)`,
      `${((heapAfter - heapBefore) / 1024 / 1024).toFixed(1)} MiB retained`,
    ]);
    if (n === 100_000) createMs100k = created.cpu;
  }

  // buildSessionKey over the same mixed conversations (DMs, groups, channels; one core).
  const keyInputs: SessionKeyInput[] = load<WorkloadInput[]>('inputs-n1000-distinct.json').map((input) => ({
    agentId: input.expect.agentId,
    channel: input.channel,
    accountId: input.accountId,
    peer: input.peer as SessionKeyInput['peer'],
    dmScope: 'per-channel-peer',
  }));
  const buildRate = measure(keyInputs, (input) => buildSessionKey(input).length);
  rows.push(rateRow('buildSessionKey (mixed DMs and groups)', buildRate));

  const header = ['benchmark', 'ops/s (CPU)', 'µs/op (CPU)', 'ops/s (wall)', 'time', 'memory'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));

  const r10 = resolveRates.get(10) ?? 0;
  const r100k = resolveRates.get(100_000) ?? 0;
  console.log(
    `\nresolve at 100k bindings: ${fmt(r100k)} ops/CPU-s (target ≥ 1,000,000), ${(r10 / r100k).toFixed(2)}× slower than at 10 (target ≤ 2×)`,
  );
  console.log(`createRouter with 100k bindings: ${createMs100k.toFixed(1)} CPU-ms (target < 200 ms)`);
  console.log(`buildSessionKey: ${fmt(buildRate.cpu)} ops/CPU-s (target ≥ 3,000,000)`);
  console.log(
    `load average during the run: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  if (mismatches > 0) {
    console.error(`\n${mismatches} workload expectation(s) failed`);
    process.exitCode = 1;
  } else {
    console.log('every workload expectation (agentId, matchedBy, sessionKey) holds');
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
