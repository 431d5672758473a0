import { z } from 'zod';
import { type AccessConfig, createAccessConfig } from '../access/config.js';
import type { AccessConfigInput, GroupChatInput, ToolPolicyInput } from '../access/schema.js';
import type { BackgroundRunsConfig } from '../background/types.js';
import type { ReplyToMode, StreamSettings } from '../dispatch/types.js';
import { ConfigError, type ConfigIssue, configIssuesFromZod } from '../errors/index.js';
import { normalizeAgentId, normalizeChannelId } from '../keys/index.js';
import type { QueueDropPolicy, QueueSettings } from '../queue/types.js';
import { createRouter } from '../routing/router.js';
import type { RoutingConfig } from '../routing/schema.js';
import type { Router } from '../routing/types.js';
import type { QueueMode } from '../stores/types.js';

/** Queue settings as written: any subset of mode, cap and drop. */
export interface QueueSettingsInput {
  /** What happens to a message that arrives while its session is busy. Default `followup`. */
  readonly mode?: QueueMode;
  /** Most messages waiting per session. Default 20. */
  readonly cap?: number;
  /** What happens beyond the cap. Default `summarize`. */
  readonly drop?: QueueDropPolicy;
}

/** `messages.queue`: the queue settings, with per-channel overrides. */
export interface QueueConfigInput extends QueueSettingsInput {
  /** Per channel: a mode (OpenClaw's shape) or settings. A session's `/queue` override still wins. */
  readonly byChannel?: Readonly<Record<string, QueueMode | QueueSettingsInput>>;
}

/** `gateway`: how the composed gateway runs. Every key is optional. */
export interface GatewayConfigInput {
  /** Turns running at once across sessions, per lane. Defaults: main 8, background 8. */
  readonly concurrency?: { readonly main?: number; readonly background?: number };
  /** How long `stop()` lets running turns finish before aborting them. Default 10 000 ms. */
  readonly stopTimeoutMs?: number;
  /** How long a message id is remembered to drop platform redeliveries. Default 20 minutes. */
  readonly dedupeTtlMs?: number;
  /** Sent to the origin when a handler throws; `false` sends nothing. Default: a short apology. */
  readonly apology?: string | false;
  /** Transcript entries handed to a turn (the newest). Default 100. */
  readonly transcriptLimit?: number;
  /** How often a typing indicator is refreshed while on; 0 never refreshes. Default 6 000 ms. */
  readonly typingIntervalMs?: number;
  /** Which reply parts quote the message they answer. Default `all`. */
  readonly replyToMode?: ReplyToMode;
  /** Retry of transient send failures. Defaults: 3 attempts, 500 ms doubling, ≤ 30 s, ±10 %. */
  readonly retry?: {
    readonly attempts?: number;
    readonly baseDelayMs?: number;
    readonly maxDelayMs?: number;
    readonly jitter?: number;
  };
  /** Reply parts older than this are dropped instead of delivered late. Default 10 minutes. */
  readonly maxReplyAgeMs?: number;
  /** Block streaming defaults. */
  readonly stream?: StreamSettings;
  /** Defaults of new conversation bindings. */
  readonly bindings?: { readonly idleTtlMs?: number; readonly maxAgeMs?: number };
  /** Pairing challenges: the approve command shown to the sender (e.g. `mybot pairing approve telegram <code>`). */
  readonly pairing?: { readonly approveCommand?: string };
  /** Background run limits and timings (see `docs/background-runs.md`). */
  readonly background?: Omit<BackgroundRunsConfig, 'agents'>;
}

// A type alias rather than an interface: it then fits the routing and access readers' own
// (index-signature) config types, so one config object works with createRouter too.
/**
 * The one config object of `createClaw`: routing (`agents`, `bindings`, `session`, `broadcast`),
 * access (`channels`, `messages.groupChat`, `tools`, `commands`) and the gateway's own settings
 * (`messages.queue`, `gateway`). Validated once; every problem is reported in one `ConfigError`.
 */
export type ClawConfig = {
  /**
   * The agents (`list` of `{ id, default?, name?, groupChat?, tools? }`). Default: one agent, `main`.
   * (Typed for both readers, so the same object can be passed to `createRouter` and `createAccessConfig`.)
   */
  readonly agents?: RoutingConfig['agents'] & AccessConfigInput['agents'];
  /** Routing bindings (see `docs/routing.md`). */
  readonly bindings?: RoutingConfig['bindings'];
  /** Session key scopes and identity links (see `docs/sessions-and-keys.md`). */
  readonly session?: RoutingConfig['session'];
  /** Broadcast groups (several agents answer one group). */
  readonly broadcast?: RoutingConfig['broadcast'];
  /** Per-channel access rules (see `docs/access.md`). */
  readonly channels?: AccessConfigInput['channels'];
  /** Group chat mention patterns and history; the queue settings. */
  readonly messages?: { readonly groupChat?: GroupChatInput; readonly queue?: QueueConfigInput };
  /** The global tool policy. */
  readonly tools?: ToolPolicyInput;
  /** Command owners: `<channel>:<senderId>` (or bare ids) who may always run control commands and `/activation`. */
  readonly commands?: { readonly ownerAllowFrom?: readonly (string | number)[] };
  /** How the gateway runs. */
  readonly gateway?: GatewayConfigInput;
};

/** The short apology sent when a handler throws (`gateway.apology`). */
export const DEFAULT_APOLOGY = 'Sorry, something went wrong while answering. Please try again.';

/** The gateway settings with every default applied. */
export interface GatewaySettings {
  /** `messages.queue`: mode, cap, drop policy (defaults `followup`, 20, `summarize`). */
  readonly queueDefaults: QueueSettings;
  /** Per-channel queue overrides (channel ids normalised). */
  readonly queueByChannel: ReadonlyMap<string, Partial<QueueSettings>>;
  /** `gateway.concurrency`: turns at once per lane (defaults 8 and 8). */
  readonly concurrency: { readonly main: number; readonly background: number };
  /** `gateway.stopTimeoutMs` (default 10 000). */
  readonly stopTimeoutMs: number;
  /** `gateway.dedupeTtlMs` (default 20 minutes). */
  readonly dedupeTtlMs: number;
  /** `undefined`: no apology. */
  readonly apology: string | undefined;
  /** `gateway.transcriptLimit` (default 100). */
  readonly transcriptLimit: number;
  /** `gateway.typingIntervalMs` (default 6 000). */
  readonly typingIntervalMs: number;
  /** `gateway.replyToMode`; `undefined`: the dispatcher's default (`all`). */
  readonly replyToMode: ReplyToMode | undefined;
  /** `gateway.retry`; `undefined`: the dispatcher's defaults. */
  readonly retry: GatewayConfigInput['retry'];
  /** `gateway.maxReplyAgeMs`; `undefined`: the dispatcher's default (10 minutes). */
  readonly maxReplyAgeMs: number | undefined;
  /** `gateway.stream`; `undefined`: the dispatcher's defaults. */
  readonly stream: StreamSettings | undefined;
  /** `gateway.bindings.idleTtlMs`; `undefined`: the bindings' default (24 hours). */
  readonly bindingIdleTtlMs: number | undefined;
  /** `gateway.bindings.maxAgeMs`; `undefined`: the bindings' default (none). */
  readonly bindingMaxAgeMs: number | undefined;
  /** `gateway.pairing.approveCommand` (`<code>` is replaced by the code). */
  readonly approveCommand: string | undefined;
  /** `gateway.background`, passed to the background runs manager. */
  readonly background: Omit<BackgroundRunsConfig, 'agents'>;
  /** `commands.ownerAllowFrom` as strings. */
  readonly ownerIds: readonly string[];
}

/** The config, compiled once: the router, the access rules, the agent roster and the settings. */
export interface CompiledClawConfig {
  /** The router compiled from `agents`, `bindings`, `session` and `broadcast`. */
  readonly router: Router;
  /** The access rules compiled from `channels`, `messages.groupChat`, `tools` and `agents`. */
  readonly access: AccessConfig;
  /** Canonical agent ids, in config order (`main` when no list is given). */
  readonly roster: readonly string[];
  /** The gateway's own settings, defaults applied. */
  readonly settings: GatewaySettings;
  /** Problems that do not stop the config from working (from the access rules). */
  readonly warnings: readonly ConfigIssue[];
}

const TOP_LEVEL_KEYS = [
  'agents',
  'bindings',
  'session',
  'broadcast',
  'channels',
  'messages',
  'tools',
  'commands',
  'gateway',
] as const;

const QUEUE_MODES = ['followup', 'collect', 'interrupt', 'steer'] as const;
const modeSchema = z.enum(QUEUE_MODES, { error: `must be one of ${QUEUE_MODES.join(', ')}` });
const positiveInt = z.int({ error: 'must be a whole number ≥ 1' }).min(1, { error: 'must be ≥ 1' });
const duration = z
  .number({ error: 'must be a number of milliseconds' })
  .refine((n) => Number.isFinite(n) && n >= 0, { error: 'must be a finite number ≥ 0 (milliseconds)' });
const positiveDuration = z
  .number({ error: 'must be a number of milliseconds' })
  .refine((n) => n > 0, { error: 'must be a number > 0 (milliseconds)' });
const queueSettingsShape = {
  mode: modeSchema.optional(),
  cap: positiveInt.optional(),
  drop: z.enum(['old', 'new', 'summarize'], { error: 'must be one of old, new, summarize' }).optional(),
};

/** The zod schema of `messages.queue`. */
export const queueConfigSchema = z.strictObject({
  ...queueSettingsShape,
  byChannel: z
    .record(z.string(), z.union([modeSchema, z.strictObject(queueSettingsShape)]), {
      error: 'must map a channel id to a queue mode or to { mode, cap, drop }',
    })
    .optional(),
});

/** The zod schema of `gateway`. */
export const gatewayConfigSchema = z.strictObject({
  concurrency: z
    .strictObject({ main: positiveInt.optional(), background: positiveInt.optional() })
    .optional(),
  stopTimeoutMs: duration.optional(),
  dedupeTtlMs: positiveDuration.optional(),
  apology: z
    .union([z.string(), z.literal(false)], { error: 'must be a string, or false for none' })
    .optional(),
  transcriptLimit: positiveInt.optional(),
  typingIntervalMs: duration.optional(),
  replyToMode: z.enum(['all', 'first', 'off'], { error: 'must be one of all, first, off' }).optional(),
  retry: z
    .strictObject({
      attempts: positiveInt.optional(),
      baseDelayMs: duration.optional(),
      maxDelayMs: duration.optional(),
      jitter: z.number().min(0).max(1, { error: 'must be between 0 and 1' }).optional(),
    })
    .optional(),
  maxReplyAgeMs: positiveDuration.optional(),
  stream: z
    .strictObject({
      minChars: duration.optional(),
      maxChars: duration.optional(),
      idleMs: duration.optional(),
      editIntervalMs: duration.optional(),
    })
    .optional(),
  bindings: z.strictObject({ idleTtlMs: duration.optional(), maxAgeMs: duration.optional() }).optional(),
  pairing: z.strictObject({ approveCommand: z.string().optional() }).optional(),
  background: z
    .record(z.string(), z.unknown(), { error: 'must be an object of background settings' })
    .optional(),
});

const ownSchema = z.object({
  messages: z
    .strictObject({ groupChat: z.unknown().optional(), queue: queueConfigSchema.optional() })
    .optional(),
  commands: z
    .strictObject({
      ownerAllowFrom: z
        .array(z.union([z.string(), z.number()]), { error: 'must be a list of sender ids' })
        .optional(),
    })
    .optional(),
  gateway: gatewayConfigSchema.optional(),
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Run a validator that throws a `ConfigError`, collecting its issues instead. */
function collect<T>(issues: ConfigIssue[], build: () => T): T | undefined {
  try {
    return build();
  } catch (error) {
    if (!ConfigError.isInstance(error)) throw error;
    issues.push(...error.issues);
    return undefined;
  }
}

/**
 * The agent ids of `agents.list`, canonical and in order; `main` when there is none. Reads what it
 * can from a config that may be invalid (so handlers can be checked against it all the same).
 */
export function rosterOf(config: unknown): string[] {
  const agents = isRecord(config) ? config['agents'] : undefined;
  const list = isRecord(agents) ? agents['list'] : undefined;
  const ids: string[] = [];
  if (Array.isArray(list)) {
    for (const entry of list) {
      if (isRecord(entry) && typeof entry['id'] === 'string') {
        const id = normalizeAgentId(entry['id']);
        if (!ids.includes(id)) ids.push(id);
      }
    }
  }
  return ids.length > 0 ? ids : ['main'];
}

/** The defined fields of an optional settings object (zod keeps absent optionals as `undefined`). */
function definedOnly<T extends object>(
  value: T | undefined,
): { [K in keyof T]?: Exclude<T[K], undefined> } | undefined {
  if (value === undefined) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v;
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}

function settingsOf(own: z.output<typeof ownSchema>): GatewaySettings {
  const queue = own.messages?.queue;
  const gateway = own.gateway ?? {};
  const queueByChannel = new Map<string, Partial<QueueSettings>>();
  for (const [channel, value] of Object.entries(queue?.byChannel ?? {})) {
    const settings = typeof value === 'string' ? { mode: value } : value;
    queueByChannel.set(normalizeChannelId(channel), {
      ...(settings.mode === undefined ? {} : { mode: settings.mode }),
      ...(settings.cap === undefined ? {} : { cap: settings.cap }),
      ...(settings.drop === undefined ? {} : { drop: settings.drop }),
    });
  }
  return {
    queueDefaults: {
      mode: queue?.mode ?? 'followup',
      cap: queue?.cap ?? 20,
      drop: queue?.drop ?? 'summarize',
    },
    queueByChannel,
    concurrency: { main: gateway.concurrency?.main ?? 8, background: gateway.concurrency?.background ?? 8 },
    stopTimeoutMs: gateway.stopTimeoutMs ?? 10_000,
    dedupeTtlMs: gateway.dedupeTtlMs ?? 20 * 60_000,
    apology:
      gateway.apology === false || gateway.apology?.trim() === ''
        ? undefined
        : (gateway.apology ?? DEFAULT_APOLOGY),
    transcriptLimit: gateway.transcriptLimit ?? 100,
    typingIntervalMs: gateway.typingIntervalMs ?? 6000,
    replyToMode: gateway.replyToMode,
    retry: definedOnly(gateway.retry),
    maxReplyAgeMs: gateway.maxReplyAgeMs,
    stream: definedOnly(gateway.stream),
    bindingIdleTtlMs: gateway.bindings?.idleTtlMs,
    bindingMaxAgeMs: gateway.bindings?.maxAgeMs,
    approveCommand: gateway.pairing?.approveCommand,
    background: (gateway.background ?? {}) as Omit<BackgroundRunsConfig, 'agents'>,
    ownerIds: (own.commands?.ownerAllowFrom ?? []).map(String),
  };
}

/** Options of {@link compileClawConfig}. */
export interface CompileClawConfigOptions {
  /** Channels whose ids are case-insensitive (from the adapters' capabilities). */
  readonly caseInsensitiveChannels?: readonly string[];
}

/**
 * Keys of the sections that several modules share (each module tolerates the others' keys, so
 * only the composed config can tell that a key belongs to nobody — e.g. OpenClaw's legacy
 * `session.scope`, or V4's `agents.entries`).
 */
const SHARED_SECTION_KEYS = {
  session: ['dmScope', 'groupScope', 'identityLinks', 'mainKey'],
  agents: ['list'],
  agent: ['id', 'default', 'name', 'groupChat', 'tools'],
} as const;

function unknownKeys(value: unknown, known: readonly string[], path: string, what: string): ConfigIssue[] {
  if (!isRecord(value)) return [];
  return Object.keys(value)
    .filter((key) => !known.includes(key))
    .map((key) => ({
      path: path === '' ? key : `${path}.${key}`,
      message: `unknown setting; ${what} takes ${known.join(', ')}`,
    }));
}

function unknownSectionKeys(input: Record<string, unknown>): ConfigIssue[] {
  const issues = unknownKeys(input['session'], SHARED_SECTION_KEYS.session, 'session', 'session');
  const agents = input['agents'];
  issues.push(...unknownKeys(agents, SHARED_SECTION_KEYS.agents, 'agents', 'agents'));
  const list = isRecord(agents) ? agents['list'] : undefined;
  if (Array.isArray(list)) {
    list.forEach((entry, i) => {
      issues.push(...unknownKeys(entry, SHARED_SECTION_KEYS.agent, `agents.list.${i}`, 'an agent entry'));
    });
  }
  return issues;
}

/**
 * Validate the whole config once — the router's keys, the access rules' keys and the gateway's
 * own (`messages.queue`, `commands`, `gateway`), plus unknown top-level keys — and compile it.
 *
 * @throws {ConfigError} listing every problem of every part, by path.
 */
export function compileClawConfig(
  config: ClawConfig | undefined,
  options: CompileClawConfigOptions = {},
): CompiledClawConfig {
  const input: unknown = config ?? {};
  if (!isRecord(input)) {
    throw new ConfigError([{ path: '', message: 'the config must be an object' }], {
      subject: 'claw config',
    });
  }
  const issues: ConfigIssue[] = [];
  for (const key of Object.keys(input)) {
    if (!(TOP_LEVEL_KEYS as readonly string[]).includes(key)) {
      issues.push({
        path: key,
        message: `unknown setting; the config's top-level keys are ${TOP_LEVEL_KEYS.join(', ')}`,
      });
    }
  }
  issues.push(...unknownSectionKeys(input));
  const router = collect(issues, () =>
    createRouter(input as RoutingConfig, { caseInsensitiveChannels: options.caseInsensitiveChannels }),
  );
  const access = collect(issues, () => createAccessConfig(input));
  const own = ownSchema.safeParse(input);
  if (!own.success) issues.push(...configIssuesFromZod(own.error));
  if (issues.length > 0 || router === undefined || access === undefined || !own.success) {
    // The router and the access rules both read `agents`: report a shared problem once.
    const seen = new Set<string>();
    const unique = issues.filter((i) => {
      const key = `${i.path}\u0000${i.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    throw new ConfigError(unique, { subject: 'claw config' });
  }
  return {
    router,
    access,
    roster: rosterOf(input),
    settings: settingsOf(own.data),
    warnings: access.warnings,
  };
}
