import {
  type ChannelAdapter,
  type ChannelAdapterDefinition,
  defineChannel,
  InvalidAdapterError,
} from '@claw/channel-kit';
import { nanoid } from 'nanoid';
import type { BotIdentity } from '../access/types.js';
import type { AgentHandler } from '../agents/types.js';
import { createBackgroundRuns } from '../background/manager.js';
import { createConversationBindings } from '../bindings/index.js';
import { createReplyDispatcher, defaultMaxAgeMs } from '../dispatch/reply-dispatcher.js';
import { ConfigError, type ConfigIssue } from '../errors/index.js';
import { createEventBus, type EventBus } from '../events/event-bus.js';
import type { ClawEventMap, ClawEventName, EventSink } from '../events/types.js';
import { createGroupHistory } from '../group-history/index.js';
import { normalizeAgentId } from '../keys/index.js';
import { createPairing } from '../pairing/index.js';
import { createSessionQueues } from '../queue/session-queues.js';
import type { DroppedMessages } from '../queue/types.js';
import { createMemoryStores } from '../stores/memory-stores.js';
import type { ClawStores } from '../stores/types.js';
import { abortableSleep } from '../timers/sleep.js';
import { type CompiledClawConfig, compileClawConfig, rosterOf } from './config.js';
import { ClawStoppedError } from './errors.js';
import { createHousekeeping } from './housekeeping.js';
import { type ClawLogger, safeLogger, silentLogger } from './logger.js';
import { payloadText, type TurnPayload } from './payload.js';
import { createReceive, type DeferredTurn } from './pipeline.js';
import { createRunChild } from './run-child.js';
import { shutdown } from './shutdown.js';
import { createTurnRunner } from './turn-runner.js';
import type { Claw, ClawOptions, ClawState, ClawStopReport, ReceiveReceipt } from './types.js';

const STORE_MEMBERS = ['sessions', 'transcripts', 'dedupe', 'outbox', 'pairing', 'bindings', 'runs'] as const;
const LOGGER_METHODS = ['debug', 'info', 'warn', 'error'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/** Check every adapter with `defineChannel` and key them by id; problems go to `issues`. */
function defineChannels(registry: unknown, issues: ConfigIssue[]): Map<string, ChannelAdapter> {
  const channels = new Map<string, ChannelAdapter>();
  if (registry === undefined) return channels;
  let entries: [string | undefined, unknown, string][];
  if (registry instanceof Map) {
    entries = [...registry.entries()].map(([key, a]) => [String(key), a, `options.channels.${String(key)}`]);
  } else if (Array.isArray(registry)) {
    entries = registry.map((a, i) => [undefined, a, `options.channels.${i}`]);
  } else if (isRecord(registry)) {
    entries = Object.entries(registry).map(([key, a]) => [key, a, `options.channels.${key}`]);
  } else {
    issues.push({
      path: 'options.channels',
      message: `must be a list, a record or a Map of channel adapters, got ${describe(registry)}`,
    });
    return channels;
  }
  for (const [key, candidate, path] of entries) {
    let adapter: ChannelAdapter;
    try {
      adapter = defineChannel(candidate as ChannelAdapterDefinition) as unknown as ChannelAdapter;
    } catch (error) {
      if (!InvalidAdapterError.isInstance(error)) throw error;
      for (const issue of error.issues) {
        issues.push({ path: issue.path === '' ? path : `${path}.${issue.path}`, message: issue.message });
      }
      continue;
    }
    if (key !== undefined && key !== adapter.id) {
      issues.push({ path, message: `is registered as "${key}" but the adapter's id is "${adapter.id}"` });
    } else if (channels.has(adapter.id)) {
      issues.push({
        path,
        message: `a second adapter for channel "${adapter.id}" (one adapter per channel)`,
      });
    } else {
      channels.set(adapter.id, adapter);
    }
  }
  return channels;
}

/** Pair the handlers with the roster: every agent needs a handler and every handler an agent. */
function checkAgents(
  agents: unknown,
  roster: readonly string[],
  issues: ConfigIssue[],
): Map<string, AgentHandler> {
  const handlers = new Map<string, AgentHandler>();
  if (!isRecord(agents)) {
    issues.push({
      path: 'options.agents',
      message: `must be an object mapping each agent id to its handler, e.g. { main: async (ctx) => 'hi' }; got ${describe(agents)}`,
    });
    return handlers;
  }
  for (const [key, handler] of Object.entries(agents)) {
    const id = normalizeAgentId(key);
    if (typeof handler !== 'function') {
      issues.push({
        path: `options.agents.${key}`,
        message: `must be a handler function (ctx) => reply (e.g. from llmAgent()), got ${describe(handler)}`,
      });
    } else if (handlers.has(id)) {
      issues.push({ path: `options.agents.${key}`, message: `a second handler for agent "${id}"` });
    } else {
      handlers.set(id, handler as AgentHandler);
    }
  }
  const known = roster.map((id) => `"${id}"`).join(', ');
  for (const id of roster) {
    if (!handlers.has(id)) {
      issues.push({
        path: `options.agents.${id}`,
        message: `agent "${id}" is configured (config.agents.list, or the default "main") but has no handler`,
      });
    }
  }
  for (const [key] of Object.entries(agents)) {
    const id = normalizeAgentId(key);
    if (!roster.includes(id)) {
      issues.push({
        path: `options.agents.${key}`,
        message: `there is no agent "${id}" in config.agents.list (configured: ${known}); add it there or remove the handler`,
      });
    }
  }
  return handlers;
}

function checkServices(options: ClawOptions, issues: ConfigIssue[]): void {
  const { stores, clock, logger, bots } = options;
  if (stores !== undefined) {
    if (!isRecord(stores)) {
      issues.push({ path: 'options.stores', message: 'must be a ClawStores object (createMemoryStores())' });
    } else {
      for (const member of STORE_MEMBERS) {
        if (!isRecord(stores[member])) {
          issues.push({
            path: `options.stores.${member}`,
            message: `is missing: a ClawStores has ${STORE_MEMBERS.join(', ')}`,
          });
        }
      }
    }
  }
  if (clock !== undefined) {
    if (!isRecord(clock) || typeof clock.now !== 'function') {
      issues.push({
        path: 'options.clock',
        message: 'must be an object { now(): number, sleep?(ms, signal) }',
      });
    } else if (clock.sleep !== undefined && typeof clock.sleep !== 'function') {
      issues.push({
        path: 'options.clock.sleep',
        message: 'must be a function (ms, signal) => Promise<void> when given',
      });
    }
  }
  if (logger !== undefined) {
    for (const method of LOGGER_METHODS) {
      if (!isRecord(logger) || typeof logger[method] !== 'function') {
        issues.push({
          path: `options.logger.${method}`,
          message: 'must be a function (message, fields) => void',
        });
      }
    }
  }
  if (bots !== undefined) {
    if (!isRecord(bots))
      issues.push({ path: 'options.bots', message: 'must map channel ids to { id?, username?, e164? }' });
    else {
      for (const [channel, bot] of Object.entries(bots)) {
        const fields = isRecord(bot)
          ? (['id', 'username', 'e164'] as const).filter((f) => bot[f] !== undefined)
          : [];
        if (!isRecord(bot) || fields.some((f) => typeof bot[f] !== 'string')) {
          issues.push({
            path: `options.bots.${channel}`,
            message: 'must be { id?, username?, e164? } with string values',
          });
        }
      }
    }
  }
}

/**
 * `createBackgroundRuns`, with its config problems reported under the gateway's config path
 * (`gateway.background.<key>`), where the user wrote them.
 */
function backgroundRuns(
  options: Parameters<typeof createBackgroundRuns>[0],
): ReturnType<typeof createBackgroundRuns> {
  try {
    return createBackgroundRuns(options);
  } catch (error) {
    if (!ConfigError.isInstance(error)) throw error;
    throw new ConfigError(
      error.issues.map((issue) => ({
        path: issue.path.startsWith('config.') ? `gateway.background.${issue.path.slice(7)}` : issue.path,
        message: issue.message,
      })),
      { subject: 'claw config', cause: error },
    );
  }
}

/**
 * Create the gateway: one config, the channel adapters, one handler per agent, and (optionally)
 * stores, a clock and a logger. Everything is validated here, once: every problem of the config,
 * the adapters and the handlers is reported together in one `ConfigError`.
 *
 * @example
 * const claw = createClaw({
 *   config: { channels: { telegram: { dmPolicy: 'pairing', groups: { '*': { requireMention: true } } } } },
 *   channels: [telegram],
 *   agents: { main: llmAgent({ model, system: 'You are a helpful assistant.' }) },
 * });
 * await claw.start();
 *
 * @throws {ConfigError} listing every problem (config paths as written, `options.*` for the rest).
 */
export function createClaw(options: ClawOptions): Claw {
  if (!isRecord(options)) {
    throw new ConfigError(
      [
        {
          path: 'options',
          message: 'createClaw(options): options must be an object { config, channels, agents, … }',
        },
      ],
      { subject: 'createClaw options' },
    );
  }
  const issues: ConfigIssue[] = [];
  const channels = defineChannels(options.channels, issues);
  let compiled: CompiledClawConfig | undefined;
  try {
    compiled = compileClawConfig(options.config, {
      caseInsensitiveChannels: [...channels.values()]
        .filter((a) => a.capabilities.caseInsensitiveIds)
        .map((a) => a.id),
    });
  } catch (error) {
    if (!ConfigError.isInstance(error)) throw error;
    issues.push(...error.issues);
  }
  const agents = checkAgents(options.agents, compiled?.roster ?? rosterOf(options.config), issues);
  checkServices(options, issues);
  if (issues.length > 0 || compiled === undefined) throw new ConfigError(issues, { subject: 'claw config' });
  return compose(options, compiled, channels, agents);
}

function compose(
  options: ClawOptions,
  compiled: CompiledClawConfig,
  channels: ReadonlyMap<string, ChannelAdapter>,
  agents: ReadonlyMap<string, AgentHandler>,
): Claw {
  const { router, access, settings } = compiled;
  const roster = new Set(compiled.roster);
  const stores: ClawStores = options.stores ?? createMemoryStores();
  const clockOption = options.clock;
  const now: () => number = clockOption === undefined ? Date.now : () => clockOption.now();
  const sleep =
    clockOption?.sleep === undefined
      ? abortableSleep
      : (ms: number, signal?: AbortSignal) => clockOption.sleep!(ms, signal);
  const logger: ClawLogger = options.logger === undefined ? silentLogger : safeLogger(options.logger);
  for (const warning of compiled.warnings) logger.warn(`config: ${warning.path}: ${warning.message}`);

  const bus: EventBus<ClawEventMap> = createEventBus<ClawEventMap>();
  const emit: EventSink = (event, payload) => {
    bus.emit(event, payload);
  };
  const wants = (event: ClawEventName): boolean => bus.listenerCount(event) > 0;

  // Aborted when stop() gives up on running turns: unsent parts then stay pending in the outbox
  // (for recover() after a restart) instead of being marked failed.
  const deliveryStop = new AbortController();
  const dispatcher = createReplyDispatcher({
    channels,
    outbox: stores.outbox,
    now,
    sleep,
    signal: deliveryStop.signal,
    onEvent: emit,
    ...(settings.retry === undefined ? {} : { retry: settings.retry }),
    ...(settings.maxReplyAgeMs === undefined ? {} : { maxAgeMs: settings.maxReplyAgeMs }),
    ...(settings.replyToMode === undefined ? {} : { replyToMode: settings.replyToMode }),
    ...(settings.stream === undefined ? {} : { stream: settings.stream }),
  });
  const bindings = createConversationBindings(stores.bindings, {
    channels,
    agents: compiled.roster,
    now,
    onEvent: emit,
    ...(settings.bindingIdleTtlMs === undefined ? {} : { defaultIdleTtlMs: settings.bindingIdleTtlMs }),
    ...(settings.bindingMaxAgeMs === undefined ? {} : { defaultMaxAgeMs: settings.bindingMaxAgeMs }),
  });
  const pairing = createPairing(stores.pairing, { now, configuredOwners: settings.ownerIds });
  const history = createGroupHistory();
  const deferred = new Set<DeferredTurn>();
  let state: ClawState = 'idle';
  let stopping: Promise<ClawStopReport> | undefined;
  let starting: Promise<void> | undefined;

  const background = backgroundRuns({
    stores,
    dispatcher,
    bindings,
    runChild: (input) => runChild(input),
    events: { emit, on: (event, listener) => bus.on(event, listener) },
    config: { ...settings.background, agents: compiled.roster },
    clock: { now, sleep },
    logger: {
      debug: (message, data) => logger.debug(message, { data }),
      warn: (message, data) => logger.warn(message, { data }),
    },
  });

  const queues = createSessionQueues<TurnPayload>({
    run: createTurnRunner({
      agents,
      channels,
      dispatcher,
      stores,
      emit,
      wants,
      now,
      logger,
      settings,
      spawn: (parent, spawnOptions) => background.spawn(parent, spawnOptions),
    }),
    defaults: settings.queueDefaults,
    concurrency: settings.concurrency,
    summarize: payloadText,
    // Used only by stop()'s timeout. When it runs out, sends still in flight are abandoned as
    // "stopping" first (they stay pending in the outbox for recover() after a restart); only then
    // are the turns aborted (which would mark their unsent parts failed for good).
    sleep: async (ms) => {
      await sleep(ms);
      deliveryStop.abort(new ClawStoppedError());
    },
    onDrop: (dropped: DroppedMessages<TurnPayload>) => {
      for (const item of dropped.items) {
        const payload = item.payload;
        if (payload.kind === 'child') {
          payload.reject(
            new ClawStoppedError(`Background run ${payload.input.runId} was dropped from its queue.`),
          );
          continue;
        }
        emit('message:unprocessed', {
          sessionKey: item.sessionKey,
          agentId: payload.agentId,
          turnId: item.id,
          messageId: payload.message.messageId,
          message: payload.message,
          reason: dropped.reason,
        });
      }
    },
  });

  const runChild = createRunChild(queues, () => stopping !== undefined);

  const admit = createReceive({
    channels,
    router,
    access,
    roster,
    settings,
    stores,
    bindings,
    pairing,
    history,
    dispatcher,
    queues,
    emit,
    wants,
    now,
    logger,
    bots: (options.bots ?? {}) as Readonly<Record<string, BotIdentity>>,
    newId: nanoid,
    isStopping: () => stopping !== undefined,
    deferred,
  });
  const housekeeping = createHousekeeping({
    stores,
    now,
    retentionMs: 2 * (settings.maxReplyAgeMs ?? defaultMaxAgeMs),
    emit,
  });
  const receive = (message: unknown): Promise<ReceiveReceipt> => {
    housekeeping(now());
    return admit(message);
  };
  const receiveFromAdapter = (message: unknown): Promise<unknown> => receive(message);
  const startSignal = new AbortController();

  const start = async (): Promise<void> => {
    state = 'starting';
    const recovered = await dispatcher.recover();
    if (recovered.sent + recovered.stale + recovered.failed > 0) {
      logger.info('outbox recovered', { ...recovered });
    }
    const runs = await background.start();
    if (runs.announcing + runs.interrupted + runs.restarted + runs.cleanedUp > 0) {
      logger.info('background runs recovered', { ...runs });
    }
    await stores.dedupe.prune(now());
    for (const adapter of channels.values()) {
      if (stopping !== undefined) return;
      await adapter.start?.({ receive: receiveFromAdapter, signal: startSignal.signal });
    }
    if (stopping === undefined) state = 'running';
  };

  const stop = async (timeoutMs: number): Promise<ClawStopReport> => {
    state = 'stopping';
    const report = await shutdown(
      { channels, queues, background, dispatcher, stores, deferred, startSignal, deliveryStop, emit, logger },
      timeoutMs,
    );
    state = 'stopped';
    return report;
  };

  const busy = (): boolean =>
    queues.activeSessions > 0 ||
    dispatcher.pending > 0 ||
    deferred.size > 0 ||
    background.stats.executing > 0 ||
    background.stats.announcing > 0;

  return {
    receive,
    start() {
      if (stopping !== undefined) {
        return Promise.reject(
          new ClawStoppedError('start() after stop(): create a new gateway to start again.'),
        );
      }
      starting ??= start();
      return starting;
    },
    stop(stopOptions = {}) {
      const timeoutMs = stopOptions?.timeoutMs ?? settings.stopTimeoutMs;
      if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 0) {
        return Promise.reject(
          new TypeError(
            `Claw.stop({ timeoutMs }): timeoutMs must be a finite number ≥ 0, got ${String(timeoutMs)}.`,
          ),
        );
      }
      stopping ??= stop(timeoutMs);
      return stopping;
    },
    async idle() {
      // Work begets work (a turn spawns a run, a run announces, a sequential broadcast queues the
      // next agent): wait until a pass finds nothing left.
      do {
        await queues.idle();
        await dispatcher.idle();
        await background.idle();
        await new Promise<void>((resolve) => setImmediate(resolve));
      } while (busy());
    },
    on: (event, listener) => bus.on(event, listener),
    once: (event, listener) => bus.once(event, listener),
    off: (event, listener) => bus.off(event, listener),
    runs: Object.freeze({
      list: (filter) => background.list(filter),
      get: (runId) => background.get(runId),
      cancel: (runId) => background.cancel(runId),
    }),
    bindings,
    pairing,
    router,
    access,
    stores,
    channels,
    get state() {
      return state;
    },
  };
}
