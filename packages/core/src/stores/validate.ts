import { StoreError } from './store-error.js';

// Shape checks shared by the memory and file stores: the same checks guard what callers put in
// and (for the file stores) what is read back from disk, so a damaged file is reported as
// `corrupt` instead of flowing into the gateway as a half-valid record.

/** Which store operation a check runs for (used in error messages). */
export interface CheckContext {
  readonly store: string;
  readonly operation: string;
}

/** A problem description, or `undefined` when the value is fine. */
export type Problem = string | undefined;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Throw an `invalid_argument` {@link StoreError}. */
export function invalidArgument(ctx: CheckContext, detail: string, key?: string): StoreError {
  return new StoreError(detail, {
    code: 'invalid_argument',
    store: ctx.store,
    operation: ctx.operation,
    ...(key === undefined ? {} : { key }),
  });
}

/** A non-empty string key, else an `invalid_argument` error naming `name`. */
export function requireKey(ctx: CheckContext, name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw invalidArgument(ctx, `${name} must be a non-empty string, got ${describe(value)}.`);
  }
  return value;
}

/** A finite, non-negative number (a time in ms since the epoch, or a duration). */
export function requireTime(ctx: CheckContext, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidArgument(
      ctx,
      `${name} must be a finite number >= 0 (milliseconds), got ${describe(value)}.`,
    );
  }
  return value;
}

/** A positive integer (a limit). */
export function requirePositiveInteger(ctx: CheckContext, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw invalidArgument(ctx, `${name} must be a positive integer, got ${describe(value)}.`);
  }
  return value;
}

/** Throw `invalid_argument` when `problem` is set. */
export function requireValid(ctx: CheckContext, what: string, problem: Problem, key?: string): void {
  if (problem !== undefined) throw invalidArgument(ctx, `${what} is invalid: ${problem}.`, key);
}

/** A short description of a value for error messages (never the whole value). */
export function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string')
    return value.length > 40 ? `a ${value.length}-character string` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

// --- field checkers -----------------------------------------------------------------------------

function str(obj: Record<string, unknown>, field: string, optional = false, allowEmpty = false): Problem {
  const value = obj[field];
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'string' || (!allowEmpty && value.length === 0)) {
    return `${field} must be a ${allowEmpty ? '' : 'non-empty '}string, got ${describe(value)}`;
  }
  return undefined;
}

function num(obj: Record<string, unknown>, field: string, optional = false, integer = false): Problem {
  const value = obj[field];
  if (value === undefined && optional) return undefined;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    (integer && !Number.isInteger(value))
  ) {
    return `${field} must be a finite ${integer ? 'integer' : 'number'} >= 0, got ${describe(value)}`;
  }
  return undefined;
}

function bool(obj: Record<string, unknown>, field: string, optional = false): Problem {
  const value = obj[field];
  if (value === undefined && optional) return undefined;
  return typeof value === 'boolean' ? undefined : `${field} must be a boolean, got ${describe(value)}`;
}

function oneOf(
  obj: Record<string, unknown>,
  field: string,
  allowed: readonly string[],
  optional = false,
): Problem {
  const value = obj[field];
  if (value === undefined && optional) return undefined;
  return typeof value === 'string' && allowed.includes(value)
    ? undefined
    : `${field} must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${describe(value)}`;
}

function jsonObject(obj: Record<string, unknown>, field: string): Problem {
  const value = obj[field];
  if (value === undefined) return undefined;
  return isObject(value)
    ? undefined
    : `${field} must be a plain object of JSON values, got ${describe(value)}`;
}

function first(...problems: Problem[]): Problem {
  for (const problem of problems) if (problem !== undefined) return problem;
  return undefined;
}

/** Activation modes a session may override. */
export const activationModes = ['mention', 'always'] as const;
/** Queue modes a session may override. */
export const queueModes = ['followup', 'collect', 'interrupt', 'steer'] as const;

// --- record checkers ----------------------------------------------------------------------------

/** Problem with a `ReplyTarget`-shaped value. */
export function targetProblem(value: unknown, field = 'target'): Problem {
  if (!isObject(value)) return `${field} must be a ReplyTarget object, got ${describe(value)}`;
  const peer = value['peer'];
  const problem = first(
    str(value, 'channel'),
    str(value, 'accountId'),
    str(value, 'threadId', true),
    str(value, 'replyToMessageId', true),
    isObject(peer)
      ? first(oneOf(peer, 'kind', ['direct', 'group', 'channel']), str(peer, 'id'))
      : 'peer must be an object',
  );
  return problem === undefined ? undefined : `${field}: ${problem}`;
}

/** Problem with a stored session entry. */
export function sessionEntryProblem(value: unknown): Problem {
  if (!isObject(value)) return `expected an object, got ${describe(value)}`;
  return first(
    str(value, 'sessionKey'),
    num(value, 'createdAt'),
    num(value, 'lastActivityAt'),
    oneOf(value, 'activation', activationModes, true),
    oneOf(value, 'queueMode', queueModes, true),
    jsonObject(value, 'meta'),
  );
}

/** Problem with a session patch. */
export function sessionPatchProblem(value: unknown): Problem {
  if (!isObject(value)) return `expected an object, got ${describe(value)}`;
  for (const key of Object.keys(value)) {
    if (key !== 'activation' && key !== 'queueMode' && key !== 'meta') {
      return `unknown field "${key}" (allowed: activation, queueMode, meta)`;
    }
  }
  const nullable = (field: string, check: () => Problem): Problem =>
    value[field] === null ? undefined : check();
  return first(
    nullable('activation', () => oneOf(value, 'activation', activationModes, true)),
    nullable('queueMode', () => oneOf(value, 'queueMode', queueModes, true)),
    nullable('meta', () => jsonObject(value, 'meta')),
  );
}

/** Problem with a transcript entry. */
export function transcriptEntryProblem(value: unknown): Problem {
  if (!isObject(value)) return `expected an object, got ${describe(value)}`;
  return first(
    oneOf(value, 'role', ['user', 'assistant', 'tool', 'system']),
    str(value, 'text', false, true),
    num(value, 'at'),
    str(value, 'turnId', true),
    str(value, 'messageId', true),
    str(value, 'senderId', true),
  );
}

/** Problem with an outbox part. */
export function outboxPartProblem(value: unknown): Problem {
  if (!isObject(value)) return `expected an object, got ${describe(value)}`;
  const message = value['message'];
  return first(
    str(value, 'idempotencyKey'),
    targetProblem(value['target']),
    isObject(message) && typeof message['text'] === 'string'
      ? undefined
      : `message must be an OutboundMessage with a text string, got ${describe(message)}`,
    str(value, 'turnId'),
    num(value, 'partIndex', false, true),
    num(value, 'chunkIndex', false, true),
    str(value, 'sessionKey', true),
    str(value, 'agentId', true),
    str(value, 'messageId', true),
    num(value, 'createdAt'),
  );
}

/** Problem with an outbox record (a part plus its delivery state). */
export function outboxRecordProblem(value: unknown): Problem {
  if (!isObject(value)) return `expected an object, got ${describe(value)}`;
  return first(
    outboxPartProblem(value),
    oneOf(value, 'status', ['pending', 'sent', 'failed']),
    num(value, 'updatedAt'),
    num(value, 'attempts', false, true),
    str(value, 'platformMessageId', true, true),
    str(value, 'error', true, true),
  );
}

/** Problem with a conversation binding. */
export function bindingProblem(value: unknown): Problem {
  if (!isObject(value)) return `expected an object, got ${describe(value)}`;
  return first(
    str(value, 'bindingId'),
    oneOf(value, 'kind', ['current', 'thread']),
    str(value, 'channel'),
    str(value, 'accountId'),
    str(value, 'conversationId'),
    str(value, 'targetSessionKey'),
    str(value, 'agentId'),
    num(value, 'boundAt'),
    num(value, 'lastActivityAt'),
    num(value, 'idleTtlMs'),
    num(value, 'maxAgeMs'),
    str(value, 'label', true, true),
    str(value, 'boundBy', true),
    jsonObject(value, 'meta'),
  );
}

/** Background run statuses. */
export const runStatuses = [
  'accepted',
  'running',
  'succeeded',
  'failed',
  'timed_out',
  'cancelled',
  'interrupted',
] as const;

/** Problem with a background run record. */
export function runProblem(value: unknown): Problem {
  if (!isObject(value)) return `expected an object, got ${describe(value)}`;
  return first(
    str(value, 'runId'),
    str(value, 'parentSessionKey'),
    str(value, 'childSessionKey'),
    str(value, 'agentId'),
    str(value, 'task', false, true),
    str(value, 'label', true, true),
    oneOf(value, 'status', runStatuses),
    bool(value, 'announced'),
    targetProblem(value['target']),
    oneOf(value, 'cleanup', ['delete', 'keep']),
    str(value, 'result', true, true),
    str(value, 'error', true, true),
    num(value, 'createdAt'),
    num(value, 'startedAt', true),
    num(value, 'endedAt', true),
    num(value, 'announcedAt', true),
    bool(value, 'retryOnRestart', true),
    jsonObject(value, 'meta'),
  );
}
