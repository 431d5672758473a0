import { InvalidMessageError, parseReplyTarget, type ReplyTarget } from '@claw/channel-kit';
import { z } from 'zod';
import { ConfigError, type ConfigIssue, configIssuesFromZod } from '../errors/index.js';
import { isValidAgentId } from '../keys/index.js';
import type { ToolPolicy } from '../tool-policy/index.js';
import { InvalidSpawnOptionsError } from './errors.js';
import type { AnnounceRetrySettings, SpawnOptions, SpawnParent } from './types.js';

/** Longest delay a Node timer can wait (about 24.8 days); longer timeouts would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

/** Defaults of {@link BackgroundRunsConfig}, resolved. */
export interface ResolvedBackgroundConfig {
  readonly maxChildrenPerSession: number;
  readonly maxConcurrentRuns: number;
  readonly archiveAfterMs: number;
  readonly sweepIntervalMs: number;
  readonly defaultTimeoutMs: number;
  readonly announceRetry: AnnounceRetrySettings;
  readonly announceHoldMs: number;
  readonly maxRestarts: number;
  readonly maxResultChars: number;
  readonly agents: ReadonlySet<string> | undefined;
  readonly childToolDeny: readonly string[];
}

/** The default announce retry (dispatch.md §4.6). */
export const defaultAnnounceRetry: AnnounceRetrySettings = Object.freeze({
  attempts: 4,
  baseDelayMs: 1000,
  maxDelayMs: 8000,
  expiryMs: 5 * 60_000,
});

/** Default limits and timings of background runs. */
export const defaultBackgroundConfig = Object.freeze({
  maxChildrenPerSession: 5,
  maxConcurrentRuns: 64,
  archiveAfterMs: 60 * 60_000,
  sweepIntervalMs: 60_000,
  defaultTimeoutMs: 0,
  announceHoldMs: 5 * 60_000,
  maxRestarts: 3,
  maxResultChars: 100_000,
});

const agentIdMessage = 'must be 1–64 characters of a-z, 0-9, "_" or "-", starting with a letter or digit';
const duration = (what: string) =>
  z
    .number({ error: `must be a number of milliseconds (${what})` })
    .int({ error: `must be a whole number of milliseconds (${what})` })
    .min(0, { error: `must be >= 0 milliseconds (${what})` })
    .max(MAX_TIMER_MS, { error: `must be at most ${MAX_TIMER_MS} ms (about 24 days)` });
const count = (least: number) =>
  z
    .number({ error: `must be a whole number >= ${least}` })
    .int({ error: `must be a whole number >= ${least}` })
    .min(least, { error: `must be a whole number >= ${least}` });

const configSchema = z.strictObject({
  maxChildrenPerSession: count(1).optional(),
  maxConcurrentRuns: count(1).optional(),
  archiveAfterMs: duration('0 never archives').optional(),
  sweepIntervalMs: duration('0 disables the automatic sweep').optional(),
  defaultTimeoutMs: duration('0 means no timeout').optional(),
  announceRetry: z
    .strictObject({
      attempts: count(1).optional(),
      baseDelayMs: duration('delay before the first retry').optional(),
      maxDelayMs: duration('longest delay').optional(),
      expiryMs: duration('give-up time').optional(),
    })
    .optional(),
  announceHoldMs: duration('0 does not wait for the parent turn').optional(),
  maxRestarts: count(0).optional(),
  maxResultChars: count(1).optional(),
  agents: z.array(z.string().refine(isValidAgentId, { error: agentIdMessage })).optional(),
  childToolDeny: z
    .array(z.string().refine((s) => s.trim() !== '', { error: 'must not be blank' }))
    .optional(),
});

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/**
 * Validate `createBackgroundRuns` options and resolve the config defaults.
 * @throws {ConfigError} listing every problem by path.
 */
export function resolveBackgroundOptions(options: unknown): ResolvedBackgroundConfig {
  const subject = 'background runs options';
  if (!isObject(options)) {
    throw new ConfigError([{ path: '', message: 'must be an object { stores, dispatcher, runChild, … }' }], {
      subject,
    });
  }
  const issues: ConfigIssue[] = [];
  const stores = options['stores'];
  if (!isObject(stores)) {
    issues.push({ path: 'stores', message: 'must be the gateway stores (runs, sessions, transcripts)' });
  } else {
    const methods: Record<string, readonly string[]> = {
      runs: ['put', 'get', 'list', 'delete'],
      sessions: ['delete'],
      transcripts: ['delete'],
    };
    for (const [name, needed] of Object.entries(methods)) {
      const store = stores[name];
      if (!isObject(store) || needed.some((m) => typeof store[m] !== 'function')) {
        issues.push({ path: `stores.${name}`, message: `must be a store with ${needed.join(', ')}` });
      }
    }
    const bindings = stores['bindings'];
    if (bindings !== undefined && (!isObject(bindings) || typeof bindings['list'] !== 'function')) {
      issues.push({ path: 'stores.bindings', message: 'must be a BindingStore when given' });
    }
  }
  const dispatcher = options['dispatcher'];
  if (!isObject(dispatcher) || typeof dispatcher['deliver'] !== 'function') {
    issues.push({ path: 'dispatcher', message: 'must be a reply dispatcher (createReplyDispatcher)' });
  }
  if (typeof options['runChild'] !== 'function') {
    issues.push({
      path: 'runChild',
      message:
        'must be a function ({ runId, agentId, childSessionKey, task, signal, toolPolicy }) => Promise<{ text }>',
    });
  }
  const events = options['events'];
  if (events !== undefined) {
    if (!isObject(events) || typeof events['emit'] !== 'function') {
      issues.push({ path: 'events', message: 'must be the event bus (or an object with an emit function)' });
    } else if (events['on'] !== undefined && typeof events['on'] !== 'function') {
      issues.push({ path: 'events.on', message: 'must be a function when given' });
    }
  }
  const bindings = options['bindings'];
  if (
    bindings !== undefined &&
    (!isObject(bindings) ||
      typeof bindings['list'] !== 'function' ||
      typeof bindings['conversationIdOf'] !== 'function')
  ) {
    issues.push({ path: 'bindings', message: 'must be conversation bindings (createConversationBindings)' });
  }
  const clock = options['clock'];
  if (
    clock !== undefined &&
    (!isObject(clock) ||
      typeof clock['now'] !== 'function' ||
      (clock['sleep'] !== undefined && typeof clock['sleep'] !== 'function'))
  ) {
    issues.push({ path: 'clock', message: 'must be { now(), sleep?(ms, signal) } when given' });
  }
  for (const fn of ['newRunId', 'formatAnnouncement']) {
    if (options[fn] !== undefined && typeof options[fn] !== 'function') {
      issues.push({ path: fn, message: 'must be a function when given' });
    }
  }
  const logger = options['logger'];
  if (logger !== undefined && !isObject(logger)) {
    issues.push({ path: 'logger', message: 'must be an object with debug/warn functions when given' });
  }
  const known = new Set([
    'stores',
    'dispatcher',
    'runChild',
    'events',
    'bindings',
    'config',
    'clock',
    'newRunId',
    'formatAnnouncement',
    'logger',
  ]);
  for (const key of Object.keys(options)) {
    if (!known.has(key)) {
      issues.push({ path: key, message: `unknown option (allowed: ${[...known].join(', ')})` });
    }
  }
  const parsed = configSchema.safeParse(options['config'] ?? {});
  if (!parsed.success) issues.push(...configIssuesFromZod(parsed.error, ['config']));
  if (issues.length > 0 || !parsed.success) throw new ConfigError(issues, { subject });

  const c = parsed.data;
  const retry: AnnounceRetrySettings = { ...defaultAnnounceRetry, ...stripUndefined(c.announceRetry ?? {}) };
  if (retry.maxDelayMs < retry.baseDelayMs) {
    throw new ConfigError([{ path: 'config.announceRetry.maxDelayMs', message: 'must be >= baseDelayMs' }], {
      subject,
    });
  }
  return Object.freeze({
    maxChildrenPerSession: c.maxChildrenPerSession ?? defaultBackgroundConfig.maxChildrenPerSession,
    maxConcurrentRuns: c.maxConcurrentRuns ?? defaultBackgroundConfig.maxConcurrentRuns,
    archiveAfterMs: c.archiveAfterMs ?? defaultBackgroundConfig.archiveAfterMs,
    sweepIntervalMs: c.sweepIntervalMs ?? defaultBackgroundConfig.sweepIntervalMs,
    defaultTimeoutMs: c.defaultTimeoutMs ?? defaultBackgroundConfig.defaultTimeoutMs,
    announceRetry: Object.freeze(retry),
    announceHoldMs: c.announceHoldMs ?? defaultBackgroundConfig.announceHoldMs,
    maxRestarts: c.maxRestarts ?? defaultBackgroundConfig.maxRestarts,
    maxResultChars: c.maxResultChars ?? defaultBackgroundConfig.maxResultChars,
    agents: c.agents === undefined ? undefined : new Set(c.agents.map((a) => a.toLowerCase())),
    childToolDeny: Object.freeze([...(c.childToolDeny ?? [])]),
  });
}

function stripUndefined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

// --- spawn ------------------------------------------------------------------------------------

/** Keys a caller might try in order to choose where the result goes: there is no such option. */
const DELIVERY_KEYS = new Set([
  'target',
  'to',
  'channel',
  'accountId',
  'peer',
  'threadId',
  'thread',
  'replyTo',
  'replyToMessageId',
  'deliver',
  'sessionKey',
]);

const spawnSchema = z.strictObject({
  task: z
    .string({ error: 'must be a string describing the work' })
    .max(100_000, { error: 'must be at most 100 000 characters' })
    .refine((s) => s.trim() !== '', { error: 'must not be blank' }),
  agentId: z.string({ error: agentIdMessage }).refine(isValidAgentId, { error: agentIdMessage }).optional(),
  label: z
    .string({ error: 'must be a string' })
    .max(120, { error: 'must be at most 120 characters' })
    .refine((s) => s.trim() !== '', { error: 'must not be blank when given' })
    .optional(),
  cleanup: z.enum(['delete', 'keep'], { error: 'must be "delete" or "keep"' }).optional(),
  timeoutMs: z
    .number({ error: 'must be a number of milliseconds' })
    .int({ error: 'must be a whole number of milliseconds' })
    .min(1, { error: 'must be > 0 milliseconds (omit it for no timeout)' })
    .max(MAX_TIMER_MS, { error: `must be at most ${MAX_TIMER_MS} ms (about 24 days)` })
    .optional(),
  model: z
    .string({ error: 'must be a model id string' })
    .refine((s) => s.trim() !== '', { error: 'must not be blank when given' })
    .optional(),
  retryOnRestart: z.boolean({ error: 'must be a boolean' }).optional(),
});

/** Spawn options after validation, with the agent resolved. */
export interface ValidSpawn {
  readonly task: string;
  readonly agentId: string;
  readonly label?: string;
  readonly cleanup: 'delete' | 'keep';
  readonly timeoutMs?: number;
  readonly model?: string;
  readonly retryOnRestart: boolean;
}

/**
 * Validate spawn options against the config (agent roster, default timeout).
 * @throws {InvalidSpawnOptionsError} listing every problem.
 */
export function validateSpawnOptions(
  input: unknown,
  parent: SpawnParent,
  config: ResolvedBackgroundConfig,
): ValidSpawn {
  if (!isObject(input)) {
    throw new InvalidSpawnOptionsError([{ path: '', message: 'must be an object { task, … }' }]);
  }
  const parsed = spawnSchema.safeParse(input);
  if (!parsed.success) {
    const issues = configIssuesFromZod(parsed.error).map((issue) => {
      const zodIssue = parsed.error.issues.find((i) => i.path.map(String).join('.') === issue.path);
      if (zodIssue?.code === 'unrecognized_keys') {
        const delivery = zodIssue.keys.filter((k) => DELIVERY_KEYS.has(k));
        if (delivery.length > 0) {
          return {
            path: issue.path,
            message:
              `${issue.message}: a background run always announces to the conversation it was started ` +
              `from, so there is no delivery option (${delivery.map((k) => `"${k}"`).join(', ')})`,
          };
        }
        return {
          path: issue.path,
          message: `${issue.message} (allowed: task, agentId, label, cleanup, timeoutMs, model, retryOnRestart)`,
        };
      }
      return issue;
    });
    throw new InvalidSpawnOptionsError(issues);
  }
  const o = parsed.data as SpawnOptions;
  const agentId = (o.agentId ?? parent.agentId).toLowerCase();
  if (config.agents !== undefined && !config.agents.has(agentId)) {
    throw new InvalidSpawnOptionsError([
      {
        path: o.agentId === undefined ? 'parent.agentId' : 'agentId',
        message: `unknown agent "${agentId}" (configured agents: ${[...config.agents].join(', ')})`,
      },
    ]);
  }
  const timeoutMs = o.timeoutMs ?? (config.defaultTimeoutMs > 0 ? config.defaultTimeoutMs : undefined);
  return {
    task: o.task,
    agentId,
    cleanup: o.cleanup ?? 'keep',
    retryOnRestart: o.retryOnRestart ?? false,
    ...(o.label === undefined ? {} : { label: o.label.trim() }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(o.model === undefined ? {} : { model: o.model.trim() }),
  };
}

/** The parent context after validation (the target is a frozen copy). */
export interface ValidParent {
  readonly sessionKey: string;
  readonly agentId: string;
  readonly turnId: string;
  readonly target: ReplyTarget;
  readonly toolPolicy?: ToolPolicy;
  readonly isChild: boolean;
}

/**
 * Validate the parent context the gateway passes.
 * @throws {InvalidSpawnOptionsError} naming the field (paths start with `parent.`).
 */
export function validateParent(parent: unknown): ValidParent {
  if (!isObject(parent)) {
    throw new InvalidSpawnOptionsError([
      { path: 'parent', message: 'must be the turn context { sessionKey, agentId, turnId, target, … }' },
    ]);
  }
  const issues: ConfigIssue[] = [];
  for (const field of ['sessionKey', 'agentId', 'turnId'] as const) {
    const value = parent[field];
    if (typeof value !== 'string' || value.trim() === '') {
      issues.push({ path: `parent.${field}`, message: 'must be a non-empty string' });
    }
  }
  let target: ReplyTarget | undefined;
  try {
    target = parseReplyTarget(parent['target']);
  } catch (error) {
    if (!InvalidMessageError.isInstance(error)) throw error;
    issues.push({ path: 'parent.target', message: `must be the pinned ReplyTarget (${error.message})` });
  }
  const policy = parent['toolPolicy'];
  if (
    policy !== undefined &&
    (!isObject(policy) || typeof policy['isAllowed'] !== 'function' || !Array.isArray(policy['layers']))
  ) {
    issues.push({
      path: 'parent.toolPolicy',
      message: 'must be a ToolPolicy (resolveToolPolicy) when given',
    });
  }
  if (parent['isChild'] !== undefined && typeof parent['isChild'] !== 'boolean') {
    issues.push({ path: 'parent.isChild', message: 'must be a boolean when given' });
  }
  if (issues.length > 0 || target === undefined) throw new InvalidSpawnOptionsError(issues);
  return {
    sessionKey: parent['sessionKey'] as string,
    agentId: (parent['agentId'] as string).toLowerCase(),
    turnId: parent['turnId'] as string,
    target,
    isChild: parent['isChild'] === true,
    ...(policy === undefined ? {} : { toolPolicy: policy as unknown as ToolPolicy }),
  };
}
