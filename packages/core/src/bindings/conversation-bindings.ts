import { type ChannelAdapter, type ReplyTarget, replyTargetProblem } from '@claw/channel-kit';
import { type ChannelRegistry, toChannelMap } from '../dispatch/channels.js';
import { ConfigError, type ConfigIssue } from '../errors/index.js';
import type { EventSink } from '../events/types.js';
import { bindingScopesOf } from '../stores/binding-scopes.js';
import { createKeyedLock } from '../stores/file-io.js';
import type { BindingFilter, BindingStore, ConversationBinding, JsonValue } from '../stores/types.js';
import { ConversationBindingError } from './conversation-binding-error.js';
import { bindingIdOf, bindingScopeOf, resolveConversationId } from './conversation-id.js';

/** Default idle TTL of a binding: 24 hours (dispatch.md §2.7). */
export const defaultBindingIdleTtlMs = 24 * 60 * 60_000;
/** Default max age of a binding: none (dispatch.md §2.7). */
export const defaultBindingMaxAgeMs = 0;
/** Lookups persist a binding's new activity time at most this often (dispatch.md §2.7: throttled). */
export const defaultBindingTouchIntervalMs = 60_000;

/** What to bind. */
export interface BindInput {
  /** Channel id. */
  readonly channel: string;
  /** Bot account. Default `default`. */
  readonly accountId?: string;
  /** The conversation id; or give `target` and it is derived (`resolveConversationId`). */
  readonly conversationId?: string;
  /** The conversation as a reply target (e.g. the pinned target of the command message). */
  readonly target?: ReplyTarget;
  /**
   * `current`: the conversation itself (needs `supportsCurrentConversationBinding`);
   * `thread`: a thread (needs `threads`, and `target.threadId` when a target is given).
   */
  readonly kind: 'current' | 'thread';
  /** Session that will receive the conversation's messages. */
  readonly targetSessionKey: string;
  /** Agent that will answer them. */
  readonly agentId: string;
  /** Expire after this long without messages (0: never). Default: re-binding keeps the old value, else 24 h. */
  readonly idleTtlMs?: number;
  /** Expire this long after binding (0: never). Default: re-binding keeps the old value, else never. */
  readonly maxAgeMs?: number;
  /** Label for listings (kept on re-bind when omitted). */
  readonly label?: string;
  /** Who asked (a sender id, or `system`). Kept on re-bind when omitted. */
  readonly boundBy?: string;
  /** Host data. JSON only. */
  readonly meta?: { readonly [key: string]: JsonValue };
}

/** Which bindings `unbind` removes. */
export type UnbindSelector =
  | { readonly bindingId: string }
  | { readonly channel: string; readonly accountId?: string; readonly conversationId: string }
  | { readonly target: ReplyTarget }
  | { readonly targetSessionKey: string };

/** Options of {@link createConversationBindings}. */
export interface ConversationBindingsOptions {
  /** The channel adapters: their capabilities decide what may be bound. Without them nothing can be bound. */
  readonly channels?: ChannelRegistry;
  /** The configured agent ids; a binding to another agent is refused. Default: any agent. */
  readonly agents?: readonly string[];
  /** Idle TTL for new bindings. Default 24 h. */
  readonly defaultIdleTtlMs?: number;
  /** Max age for new bindings. Default 0 (none). */
  readonly defaultMaxAgeMs?: number;
  /** Least time between two writes of a binding's activity time. Default 60 s (and at most a tenth of its idle TTL). */
  readonly touchIntervalMs?: number;
  /** Clock, in ms. Default `Date.now`. */
  readonly now?: () => number;
  /** Receives `binding:bound`, `binding:unbound`, `binding:expired` (pass `bus.emit`). */
  readonly onEvent?: EventSink<'binding:bound' | 'binding:unbound' | 'binding:expired'>;
}

/**
 * Conversation bindings: pin a conversation (channel, account, conversation id) to a session and
 * agent, so the gateway routes its messages there instead of where routing would.
 */
export interface ConversationBindings {
  /**
   * Bind a conversation (replacing its previous binding).
   * @throws {ConversationBindingError} when the channel lacks the capability, is unknown, the
   * agent is unknown, or the input is malformed.
   */
  bind(input: BindInput): Promise<ConversationBinding>;
  /** Remove bindings; resolves the removed ones (emits `binding:unbound` for each). */
  unbind(selector: UnbindSelector, reason?: string): Promise<ConversationBinding[]>;
  /**
   * The live binding of a conversation, if any. Counts as activity (keeps an idle binding alive);
   * an expired binding is removed (`binding:expired`) and not returned.
   */
  lookup(
    channel: string,
    accountId: string | undefined,
    conversationId: string,
  ): Promise<ConversationBinding | undefined>;
  /** `lookup` for the conversation of a target (what the gateway calls for each admitted message). */
  lookupTarget(target: ReplyTarget): Promise<ConversationBinding | undefined>;
  /** Live bindings matching `filter` (expired ones found on the way are removed). */
  list(filter?: BindingFilter): Promise<ConversationBinding[]>;
  /** Remove every expired binding; resolves them. Run it now and then (OpenClaw sweeps every 60 s). */
  sweep(): Promise<ConversationBinding[]>;
  /** The conversation id of `target` with the registered adapter's rules. */
  conversationIdOf(target: ReplyTarget): string;
  /** Whether a channel can take a binding of `kind` (the capability check of `bind`, without throwing). */
  supports(channel: string, kind: 'current' | 'thread'): boolean;
}

/** When `binding` expires and why, or `undefined` when it never does (dispatch.md §2.7). */
export function bindingExpiry(
  binding: Pick<ConversationBinding, 'boundAt' | 'lastActivityAt' | 'idleTtlMs' | 'maxAgeMs'>,
): { readonly at: number; readonly reason: 'idle' | 'max_age' } | undefined {
  const idle =
    binding.idleTtlMs > 0
      ? Math.max(binding.lastActivityAt, binding.boundAt) + binding.idleTtlMs
      : Number.POSITIVE_INFINITY;
  const max = binding.maxAgeMs > 0 ? binding.boundAt + binding.maxAgeMs : Number.POSITIVE_INFINITY;
  if (idle === Number.POSITIVE_INFINITY && max === Number.POSITIVE_INFINITY) return undefined;
  return max <= idle ? { at: max, reason: 'max_age' } : { at: idle, reason: 'idle' };
}

const quickMisses = new WeakMap<ConversationBindings, (target: ReplyTarget) => boolean>();

/**
 * Whether `bindings.lookupTarget(target)` surely resolves `undefined`, known synchronously (the
 * store holds no binding of the target's channel and account and says so without a lookup). For
 * the gateway, which asks for every admitted message: it awaits the lookup only when this is
 * `false`. Always `false` for bindings not made by {@link createConversationBindings} or over a
 * store that cannot answer synchronously. @internal
 */
export function isSurelyUnbound(bindings: ConversationBindings, target: ReplyTarget): boolean {
  return quickMisses.get(bindings)?.(target) === true;
}

/** The answer of a lookup that found nothing without asking the store (shared: it never changes). */
const NO_BINDING: Promise<undefined> = Promise.resolve(undefined);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;
const isDuration = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;

function invalid(detail: string, channel?: string): ConversationBindingError {
  return new ConversationBindingError(
    'invalid_input',
    `Conversation bindings: ${detail}.`,
    channel === undefined ? {} : { channel },
  );
}

function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(`${name} must be a non-empty string`);
  return value;
}

function normalizeAccountId(accountId: unknown): string {
  if (accountId === undefined) return 'default';
  if (typeof accountId !== 'string') throw invalid('accountId must be a string when given');
  return accountId.trim() || 'default';
}

function checkTarget(target: unknown, name: string): ReplyTarget {
  const problem = replyTargetProblem(target, name);
  if (problem !== undefined) throw invalid(problem);
  return target as ReplyTarget;
}

function validateOptions(options: unknown): void {
  if (!isObject(options)) {
    throw new ConfigError([{ path: '', message: 'must be an object' }], {
      subject: 'conversation bindings options',
    });
  }
  const issues: ConfigIssue[] = [];
  if (options['channels'] !== undefined) toChannelMap(options['channels'], 'channels', issues);
  const agents = options['agents'];
  if (
    agents !== undefined &&
    (!Array.isArray(agents) || agents.some((a) => typeof a !== 'string' || a === ''))
  ) {
    issues.push({ path: 'agents', message: 'must be an array of agent ids (non-empty strings)' });
  }
  for (const field of ['defaultIdleTtlMs', 'defaultMaxAgeMs', 'touchIntervalMs']) {
    if (options[field] !== undefined && !isDuration(options[field])) {
      issues.push({ path: field, message: 'must be a finite number >= 0 (milliseconds; 0 disables)' });
    }
  }
  for (const fn of ['now', 'onEvent']) {
    if (options[fn] !== undefined && typeof options[fn] !== 'function')
      issues.push({ path: fn, message: 'must be a function when given' });
  }
  if (issues.length > 0) throw new ConfigError(issues, { subject: 'conversation bindings options' });
}

/**
 * Create the conversation bindings service over a {@link BindingStore} (see
 * `docs/conversation-bindings.md`).
 *
 * Generic by capability: any channel whose adapter declares
 * `capabilities.supportsCurrentConversationBinding` can bind its current conversation, any with
 * `threads` can bind threads — declaring the flag is all an adapter needs. A channel without the
 * flag gets a `ConversationBindingError` naming the channel and the flag.
 *
 * @throws {ConfigError} when the options are invalid.
 */
export function createConversationBindings(
  store: BindingStore,
  options: ConversationBindingsOptions = {},
): ConversationBindings {
  if (
    !isObject(store) ||
    ['get', 'put', 'delete', 'list'].some((m) => typeof (store as never)[m] !== 'function')
  ) {
    throw new ConfigError([{ path: 'store', message: 'must be a BindingStore (get, put, delete, list)' }], {
      subject: 'conversation bindings options',
    });
  }
  validateOptions(options);
  const channels: ReadonlyMap<string, ChannelAdapter> =
    options.channels === undefined ? new Map() : toChannelMap(options.channels, 'channels', []);
  const agents = options.agents === undefined ? undefined : new Set(options.agents);
  const defaultIdleTtlMs = options.defaultIdleTtlMs ?? defaultBindingIdleTtlMs;
  const defaultMaxAgeMs = options.defaultMaxAgeMs ?? defaultBindingMaxAgeMs;
  const touchIntervalMs = options.touchIntervalMs ?? defaultBindingTouchIntervalMs;
  const now = options.now ?? Date.now;
  // Whether the store holds a binding of a channel and account, when it can say so synchronously
  // (kept by the store itself, so exact even when the store is shared).
  const hasScope = bindingScopesOf(store);
  // Bind, touch and expiry of one binding never interleave (a lookup's touch must not resurrect
  // a binding that was just replaced or removed).
  const locked = createKeyedLock();

  const emit: NonNullable<ConversationBindingsOptions['onEvent']> = (event, payload) => {
    try {
      options.onEvent?.(event, payload);
    } catch {
      // An observer that throws must not break bindings.
    }
  };

  const expire = async (binding: ConversationBinding, reason: 'idle' | 'max_age'): Promise<void> => {
    if (await store.delete(binding.bindingId)) {
      emit('binding:expired', {
        sessionKey: binding.targetSessionKey,
        agentId: binding.agentId,
        binding,
        reason,
      });
    }
  };

  const checkCapability = (channel: string, kind: 'current' | 'thread'): void => {
    const adapter = channels.get(channel);
    if (adapter === undefined) {
      throw new ConversationBindingError(
        'unknown_channel',
        `Cannot bind a conversation on channel "${channel}": no adapter for it was given to createConversationBindings (options.channels).`,
        { channel },
      );
    }
    const flag = kind === 'current' ? 'supportsCurrentConversationBinding' : 'threads';
    if (adapter.capabilities[flag] !== true) {
      throw new ConversationBindingError(
        'capability_unsupported',
        kind === 'current'
          ? `Channel "${channel}" cannot bind its current conversation: its adapter does not declare capabilities.supportsCurrentConversationBinding. Declaring it (true) is all the channel needs.`
          : `Channel "${channel}" cannot bind a thread: its adapter does not declare capabilities.threads.`,
        { channel, capability: flag },
      );
    }
  };

  const conversationIdFor = (target: ReplyTarget): string =>
    resolveConversationId(channels.get(target.channel), target);

  const lookup = async (
    channelInput: string,
    accountInput: string | undefined,
    conversationInput: string,
  ): Promise<ConversationBinding | undefined> => {
    const channel = requireString(channelInput, 'channel');
    const accountId = normalizeAccountId(accountInput);
    const conversationId = requireString(conversationInput, 'conversationId');
    const bindingId = bindingIdOf(channel, accountId, conversationId);
    // The common case — no binding, or one that needs no write — takes no lock: every admitted
    // message asks, so this is on the gateway's hot path.
    const seen = await store.get(bindingId);
    if (seen === undefined) return undefined;
    const at = now();
    const expiry = bindingExpiry(seen);
    const interval = seen.idleTtlMs > 0 ? Math.min(touchIntervalMs, seen.idleTtlMs / 10) : touchIntervalMs;
    if ((expiry === undefined || at < expiry.at) && at - seen.lastActivityAt < interval) {
      return at > seen.lastActivityAt ? { ...seen, lastActivityAt: at } : seen;
    }
    // Expire or persist the activity under the binding's lock, re-reading what is current.
    return locked(bindingId, async () => {
      const binding = await store.get(bindingId);
      if (binding === undefined) return undefined;
      const current = bindingExpiry(binding);
      if (current !== undefined && at >= current.at) {
        await expire(binding, current.reason);
        return undefined;
      }
      if (at <= binding.lastActivityAt) return binding;
      const touched: ConversationBinding = { ...binding, lastActivityAt: at };
      await store.put(touched);
      return touched;
    });
  };

  // The scope of each (channel, raw account id) seen, so a message builds no string for it. Few
  // channels and accounts exist; the cap only guards against a flood of made-up account ids.
  const scopes = new Map<string, Map<string, string>>();
  let scopeCount = 0;
  const scopeOf = (channel: string, accountId: string): string => {
    let byAccount = scopes.get(channel);
    const known = byAccount?.get(accountId);
    if (known !== undefined) return known;
    const scope = bindingScopeOf(channel, normalizeAccountId(accountId));
    if (scopeCount < 1024) {
      if (byAccount === undefined) {
        byAccount = new Map();
        scopes.set(channel, byAccount);
      }
      byAccount.set(accountId, scope);
      scopeCount++;
    }
    return scope;
  };

  /**
   * Whether `lookupTarget(target)` surely finds nothing, answered without the store: it holds no
   * binding of the target's channel and account. `false` whenever unsure, and for a target that
   * `lookupTarget` would reject (so that it still does).
   */
  const surelyUnbound = (target: ReplyTarget): boolean => {
    if (hasScope === undefined) return false;
    try {
      const checked = checkTarget(target, 'target');
      if (hasScope(scopeOf(checked.channel, checked.accountId))) return false;
      // An adapter's own conversation id may throw; `lookupTarget` then rejects as it always did.
      if (channels.get(checked.channel)?.conversationId !== undefined) conversationIdFor(checked);
      return true;
    } catch {
      return false;
    }
  };

  const removeLive = async (bindings: readonly ConversationBinding[]): Promise<ConversationBinding[]> => {
    const at = now();
    const live: ConversationBinding[] = [];
    for (const binding of bindings) {
      const expiry = bindingExpiry(binding);
      if (expiry !== undefined && at >= expiry.at)
        await locked(binding.bindingId, () => expire(binding, expiry.reason));
      else live.push(binding);
    }
    return live;
  };

  const service: ConversationBindings = {
    async bind(input) {
      if (!isObject(input)) throw invalid('bind(input): input must be an object');
      const channel = requireString(input.channel, 'channel');
      const kind = input.kind;
      if (kind !== 'current' && kind !== 'thread')
        throw invalid(`kind must be "current" or "thread", got ${JSON.stringify(kind)}`, channel);
      const targetSessionKey = requireString(input.targetSessionKey, 'targetSessionKey');
      const agentId = requireString(input.agentId, 'agentId');
      if (agents !== undefined && !agents.has(agentId)) {
        throw new ConversationBindingError(
          'unknown_agent',
          `Cannot bind to agent "${agentId}": it is not one of the configured agents (${[...agents].join(', ')}).`,
          { channel },
        );
      }
      for (const field of ['idleTtlMs', 'maxAgeMs'] as const) {
        if (input[field] !== undefined && !isDuration(input[field])) {
          throw invalid(`${field} must be a finite number >= 0 (milliseconds; 0 disables)`, channel);
        }
      }
      for (const field of ['label', 'boundBy'] as const) {
        if (input[field] !== undefined && typeof input[field] !== 'string')
          throw invalid(`${field} must be a string when given`, channel);
      }
      if (input.meta !== undefined && (!isObject(input.meta) || Array.isArray(input.meta))) {
        throw invalid('meta must be a plain object of JSON values when given', channel);
      }
      checkCapability(channel, kind);

      let accountId = normalizeAccountId(input.accountId);
      let conversationId: string;
      if (input.conversationId !== undefined) {
        conversationId = requireString(input.conversationId, 'conversationId');
      } else if (input.target !== undefined) {
        const target = checkTarget(input.target, 'target');
        if (target.channel !== channel) {
          throw invalid(
            `target.channel is "${target.channel}" but the binding is for channel "${channel}"`,
            channel,
          );
        }
        if (input.accountId === undefined) accountId = normalizeAccountId(target.accountId);
        else if (normalizeAccountId(target.accountId) !== accountId) {
          throw invalid(
            `target.accountId is "${target.accountId}" but the binding is for account "${accountId}"`,
            channel,
          );
        }
        if (kind === 'thread' && target.threadId === undefined) {
          throw invalid(
            'a thread binding needs a thread: target.threadId is not set (bind kind "current" for the conversation itself)',
            channel,
          );
        }
        conversationId = conversationIdFor(target);
      } else {
        throw invalid('give the conversation as conversationId or as target', channel);
      }

      const bindingId = bindingIdOf(channel, accountId, conversationId);
      return locked(bindingId, async () => {
        const previous = await store.get(bindingId);
        const at = now();
        // Re-binding a conversation replaces the record, keeping settings not given again
        // (dispatch.md §2.7).
        const label = input.label ?? previous?.label;
        const boundBy = input.boundBy ?? previous?.boundBy;
        const meta = input.meta ?? previous?.meta;
        const binding: ConversationBinding = {
          bindingId,
          kind,
          channel,
          accountId,
          conversationId,
          targetSessionKey,
          agentId,
          boundAt: at,
          lastActivityAt: at,
          idleTtlMs: input.idleTtlMs ?? previous?.idleTtlMs ?? defaultIdleTtlMs,
          maxAgeMs: input.maxAgeMs ?? previous?.maxAgeMs ?? defaultMaxAgeMs,
          ...(label === undefined ? {} : { label }),
          ...(boundBy === undefined ? {} : { boundBy }),
          ...(meta === undefined ? {} : { meta }),
        };
        await store.put(binding);
        emit('binding:bound', {
          sessionKey: targetSessionKey,
          agentId,
          binding,
          ...(previous === undefined ? {} : { replaced: previous }),
        });
        return binding;
      });
    },

    async unbind(selector, reason = 'unbind') {
      if (!isObject(selector)) throw invalid('unbind(selector): selector must be an object');
      if (typeof reason !== 'string') throw invalid('unbind(selector, reason): reason must be a string');
      let ids: string[];
      if ('bindingId' in selector) ids = [requireString(selector.bindingId, 'bindingId')];
      else if ('targetSessionKey' in selector) {
        const key = requireString(selector.targetSessionKey, 'targetSessionKey');
        ids = (await store.list({ targetSessionKey: key })).map((b) => b.bindingId);
      } else if ('target' in selector) {
        const target = checkTarget(selector.target, 'target');
        ids = [bindingIdOf(target.channel, normalizeAccountId(target.accountId), conversationIdFor(target))];
      } else if ('conversationId' in selector) {
        ids = [
          bindingIdOf(
            requireString(selector.channel, 'channel'),
            normalizeAccountId(selector.accountId),
            requireString(selector.conversationId, 'conversationId'),
          ),
        ];
      } else {
        throw invalid(
          'unbind(selector): give a bindingId, a targetSessionKey, a target, or channel + conversationId',
        );
      }
      const removed: ConversationBinding[] = [];
      for (const id of ids) {
        const binding = await locked(id, async () => {
          const existing = await store.get(id);
          return existing !== undefined && (await store.delete(id)) ? existing : undefined;
        });
        if (binding === undefined) continue;
        removed.push(binding);
        emit('binding:unbound', {
          sessionKey: binding.targetSessionKey,
          agentId: binding.agentId,
          binding,
          reason,
        });
      }
      return removed;
    },

    lookup,

    lookupTarget(target) {
      if (surelyUnbound(target)) return NO_BINDING;
      try {
        const checked = checkTarget(target, 'target');
        return lookup(checked.channel, checked.accountId, conversationIdFor(checked));
      } catch (error) {
        // Failures are rejections, as from any async method.
        return Promise.reject(error);
      }
    },

    async list(filter) {
      return removeLive(await store.list(filter));
    },

    async sweep() {
      const all = await store.list();
      const live = new Set(await removeLive(all));
      return all.filter((b) => !live.has(b));
    },

    conversationIdOf(target) {
      return conversationIdFor(checkTarget(target, 'target'));
    },

    supports(channel, kind) {
      try {
        checkCapability(channel, kind);
        return true;
      } catch {
        return false;
      }
    },
  };
  quickMisses.set(service, surelyUnbound);
  return service;
}
