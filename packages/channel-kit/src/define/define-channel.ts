import type { ChannelAdapter } from '../adapter/types.js';
import { resolveCapabilities } from '../capabilities/resolve.js';
import { capabilitiesInputSchema } from '../capabilities/schema.js';
import type { ChannelCapabilities, ChannelCapabilitiesInput } from '../capabilities/types.js';
import { toMessageIssues } from '../envelope/issues.js';
import { type AdapterIssue, InvalidAdapterError } from '../errors/invalid-adapter-error.js';

/**
 * A channel adapter as its author writes it: the {@link ChannelAdapter} contract, except that
 * `capabilities` may omit flags (they default to {@link defaultCapabilities}).
 */
export interface ChannelAdapterDefinition extends Omit<ChannelAdapter, 'capabilities'> {
  /** What the channel can do; omitted flags take their value from `defaultCapabilities`. */
  readonly capabilities: ChannelCapabilitiesInput;
}

/** What `defineChannel` returns: the adapter's own type, with complete capabilities, read-only. */
export type DefinedChannel<T extends ChannelAdapterDefinition> = Readonly<Omit<T, 'capabilities'>> & {
  readonly capabilities: ChannelCapabilities;
};

/** Channel ids appear in session keys, config sections and logs: keep them plain. */
const channelIdPattern = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Optional methods of the contract, each paired with the capability flag that must declare it. */
const flaggedMethods = [
  { method: 'edit', flag: 'edit', signature: 'edit(target, messageId, message, ctx)' },
  { method: 'react', flag: 'reactions', signature: 'react(target, messageId, emoji, ctx)' },
  { method: 'setTyping', flag: 'typing', signature: 'setTyping(target, typing)' },
] as const;

const optionalMethods = ['edit', 'react', 'setTyping', 'start', 'stop', 'conversationId'] as const;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Check a channel adapter against the contract and return it ready for the core: a frozen
 * object with every capability flag filled in (omitted flags default to `defaultCapabilities`),
 * its methods bound to the original adapter (so class-based adapters work too).
 *
 * Rejected, all problems listed at once:
 * - `id` missing or not lowercase letters, digits, `-`, `_` (at most 64 characters);
 * - `specificationVersion` other than `'v1'`;
 * - `capabilities` missing, a flag of the wrong type, an unknown flag (typos surface), an empty
 *   or duplicated `chatTypes`, a `textChunkLimit` that is not a positive integer, rate hints
 *   that are not positive numbers, `topics: true` without the `group` chat type;
 * - `send` missing, or an optional member that is present but not a function
 *   (`identity` must provide both `normalizeEntry` and `senderIds`);
 * - declared capabilities and methods that disagree, in **both** directions: `edit: true`
 *   without `edit()` (the core would call a method that is not there) and `edit()` with
 *   `edit: false` (the core would never call it — almost always a forgotten flag); the same for
 *   `reactions`/`react()` and `typing`/`setTyping()`. To switch a feature off, drop the method
 *   too (`{ ...adapter, edit: undefined, capabilities: { ...caps, edit: false } }`);
 * - `start()` without `stop()` (a receiving adapter must be stoppable).
 *
 * What cannot be seen from the outside — that `send` honours `target.threadId` when `threads`
 * is declared, or `replyToMessageId` when `replies` is — is left to `channelConformance` from
 * `@claw/channel-kit/testing`.
 *
 * @throws {InvalidAdapterError} listing every problem by member path.
 */
export function defineChannel<T extends ChannelAdapterDefinition>(adapter: T): DefinedChannel<T> {
  if (!isRecord(adapter)) {
    throw new InvalidAdapterError([
      {
        path: '',
        message: `must be an adapter object with id, capabilities and send(), got ${describe(adapter)}`,
      },
    ]);
  }
  const input = adapter as unknown as Record<string, unknown>;
  const issues: AdapterIssue[] = [];
  const id = input['id'];
  const usableId = typeof id === 'string' && channelIdPattern.test(id) ? id : undefined;

  if (usableId === undefined) {
    issues.push({
      path: 'id',
      message: `must be a channel id of lowercase letters, digits, "-" and "_" (at most 64 characters, e.g. "telegram"), got ${describe(id)}`,
    });
  }
  if (input['specificationVersion'] !== 'v1') {
    issues.push({
      path: 'specificationVersion',
      message: `must be 'v1' (the contract version this package implements), got ${describe(input['specificationVersion'])}`,
    });
  }

  let capabilities: ChannelCapabilities | undefined;
  const declared = input['capabilities'];
  if (!isRecord(declared)) {
    issues.push({
      path: 'capabilities',
      message: `must be an object of capability flags (use {} to accept every default), got ${describe(declared)}`,
    });
  } else {
    const parsed = capabilitiesInputSchema.safeParse(declared);
    if (parsed.success) {
      capabilities = resolveCapabilities(declared as ChannelCapabilitiesInput);
    } else {
      for (const issue of toMessageIssues(parsed.error)) {
        const path = issue.path ? `capabilities.${issue.path}` : 'capabilities';
        const message = issue.message.startsWith('unknown field')
          ? `${issue.message.replace('unknown field(s)', 'unknown capability flag(s)')}; allowed: ${Object.keys(capabilitiesInputSchema.shape).join(', ')}`
          : issue.message;
        issues.push({ path, message });
      }
    }
  }

  if (typeof input['send'] !== 'function') {
    issues.push({
      path: 'send',
      message: `must be a function send(target, message, ctx) returning a promise of { messageId }, got ${describe(input['send'])}`,
    });
  }
  for (const method of optionalMethods) {
    const value = input[method];
    if (value !== undefined && typeof value !== 'function') {
      issues.push({ path: method, message: `must be a function when present, got ${describe(value)}` });
    }
  }
  const identity = input['identity'];
  if (identity !== undefined) {
    if (!isRecord(identity)) {
      issues.push({
        path: 'identity',
        message: `must be an object { normalizeEntry(entry), senderIds(sender) }, got ${describe(identity)}`,
      });
    } else {
      for (const hook of ['normalizeEntry', 'senderIds'] as const) {
        if (typeof identity[hook] !== 'function') {
          issues.push({
            path: `identity.${hook}`,
            message: `must be a function, got ${describe(identity[hook])}`,
          });
        }
      }
    }
  }

  if (capabilities !== undefined) {
    for (const { method, flag, signature } of flaggedMethods) {
      const implemented = typeof input[method] === 'function';
      if (capabilities[flag] && !implemented) {
        issues.push({
          path: `capabilities.${flag}`,
          message: `is true but ${method}() is not implemented: implement ${signature} or declare ${flag}: false`,
        });
      } else if (!capabilities[flag] && implemented) {
        issues.push({
          path: method,
          message: `is implemented but capabilities.${flag} is ${declared && (declared as Record<string, unknown>)[flag] === false ? 'false' : 'not declared (defaults to false)'}, so the core would never call it: declare ${flag}: true or remove ${method}()`,
        });
      }
    }
    if (capabilities.topics && !capabilities.chatTypes.includes('group')) {
      issues.push({
        path: 'capabilities.topics',
        message: 'is true but chatTypes does not include "group": forum topics live in groups',
      });
    }
  }
  if (typeof input['start'] === 'function' && typeof input['stop'] !== 'function') {
    issues.push({
      path: 'stop',
      message: 'must be implemented when start() is: the gateway has to be able to stop receiving',
    });
  }

  if (issues.length > 0 || capabilities === undefined) {
    throw new InvalidAdapterError(issues, usableId === undefined ? {} : { adapterId: usableId });
  }

  const defined: Record<string, unknown> = {};
  for (const key of Object.keys(input)) {
    const value = input[key];
    if (value === undefined) continue;
    defined[key] = typeof value === 'function' ? value.bind(adapter) : value;
  }
  // Methods may live on a prototype (class-based adapters): copy them as bound functions.
  for (const method of ['send', ...optionalMethods] as const) {
    const value = input[method];
    if (typeof value === 'function' && !(method in defined)) defined[method] = value.bind(adapter);
  }
  defined['capabilities'] = capabilities;
  return Object.freeze(defined) as DefinedChannel<T>;
}
