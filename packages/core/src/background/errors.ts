import type { ConfigIssue } from '../errors/index.js';

const nestedMarker = Symbol.for('claw.error.NestedSpawnError');
const limitMarker = Symbol.for('claw.error.SpawnLimitError');
const invalidMarker = Symbol.for('claw.error.InvalidSpawnOptionsError');
const stoppedMarker = Symbol.for('claw.error.BackgroundRunsStoppedError');

/**
 * Thrown by `spawn` when the caller is itself a background run. Children never spawn children
 * (dispatch.md §4.2, depth gate with the default depth of 1): refused by construction, whatever
 * the child's handler or model asks for.
 */
export class NestedSpawnError extends Error {
  readonly [nestedMarker] = true;
  override readonly name = 'NestedSpawnError';
  /** The session that tried to spawn (a child session, `agent:<id>:subagent:<runId>`). */
  readonly sessionKey: string;

  constructor(sessionKey: string) {
    super(
      `Session ${JSON.stringify(sessionKey)} is a background run and cannot start another one: ` +
        'background runs do not nest. Return the work to the parent conversation instead.',
    );
    this.sessionKey = sessionKey;
  }

  /** True for a `NestedSpawnError`, even one created by another copy of this package. */
  static isInstance(error: unknown): error is NestedSpawnError {
    return typeof error === 'object' && error !== null && nestedMarker in error;
  }
}

/** Which limit a spawn hit: live children of one session, or live runs of the whole gateway. */
export type SpawnLimitKind = 'per_session' | 'global';

/**
 * Thrown by `spawn` when a limit on live (not yet finished) background runs is reached. The
 * message names the limit, the current count and the setting that raises it.
 */
export class SpawnLimitError extends Error {
  readonly [limitMarker] = true;
  override readonly name = 'SpawnLimitError';
  /** Which limit was hit. */
  readonly kind: SpawnLimitKind;
  /** The limit in force. */
  readonly limit: number;
  /** Live runs counted against it when the spawn was refused. */
  readonly active: number;
  /** The parent session, for `per_session`. */
  readonly sessionKey: string | undefined;

  constructor(kind: SpawnLimitKind, limit: number, active: number, sessionKey?: string) {
    super(
      kind === 'per_session'
        ? `Session ${JSON.stringify(sessionKey)} already has ${active} live background run(s) and the ` +
            `limit is ${limit} (config.maxChildrenPerSession): wait for one to finish or cancel one.`
        : `The gateway already has ${active} live background run(s) and the limit is ${limit} ` +
            '(config.maxConcurrentRuns): wait for one to finish or cancel one.',
    );
    this.kind = kind;
    this.limit = limit;
    this.active = active;
    this.sessionKey = sessionKey;
  }

  /** True for a `SpawnLimitError`, even one created by another copy of this package. */
  static isInstance(error: unknown): error is SpawnLimitError {
    return typeof error === 'object' && error !== null && limitMarker in error;
  }
}

/**
 * Thrown by `spawn` (and the `sessions_spawn` tool) when the spawn options or the parent context
 * are malformed: a missing task, an unknown agent id, a negative timeout, a delivery parameter …
 * `issues` lists every problem by path.
 */
export class InvalidSpawnOptionsError extends Error {
  readonly [invalidMarker] = true;
  override readonly name = 'InvalidSpawnOptionsError';
  /** Every problem found, by path (`task`, `agentId`, `parent.target.peer.id` …). */
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    const lines = issues.map((i) => `  - ${i.path || '(root)'}: ${i.message}`);
    super(
      `Invalid background spawn (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
    );
    this.issues = issues;
  }

  /** True for an `InvalidSpawnOptionsError`, even one created by another copy of this package. */
  static isInstance(error: unknown): error is InvalidSpawnOptionsError {
    return typeof error === 'object' && error !== null && invalidMarker in error;
  }
}

/** Thrown by `spawn` and `start` after `stop()`: a stopped manager accepts no more work. */
export class BackgroundRunsStoppedError extends Error {
  readonly [stoppedMarker] = true;
  override readonly name = 'BackgroundRunsStoppedError';

  constructor(operation: string) {
    super(
      `Background runs: ${operation}() was called after stop(); the gateway is stopping and accepts no new background work.`,
    );
  }

  /** True for a `BackgroundRunsStoppedError`, even one created by another copy of this package. */
  static isInstance(error: unknown): error is BackgroundRunsStoppedError {
    return typeof error === 'object' && error !== null && stoppedMarker in error;
  }
}
