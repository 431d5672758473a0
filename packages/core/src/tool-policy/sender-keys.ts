import { normalizeE164, type Sender } from '@claw/channel-kit';
import type { ConfigIssue } from '../errors/index.js';
import type { ToolGroups } from './groups.js';
import {
  type CompiledToolLayer,
  compileToolLayer,
  isEmptyToolPolicy,
  type ToolPolicyConfig,
} from './policy.js';

/** One `toolsBySender` entry, compiled. */
export interface SenderToolLayer {
  /** The key as written in config. */
  readonly key: string;
  /** The normalised typed key (`id:123`, `username:alice`, `*` …). */
  readonly typedKey: string;
  /** The compiled policy, or `undefined` when the entry is empty (it then matches nothing). */
  readonly layer: CompiledToolLayer | undefined;
}

/** A compiled `toolsBySender` map. */
export interface CompiledSenderPolicies {
  /** Typed key → entry; the first of two keys that normalise alike wins. */
  readonly byKey: ReadonlyMap<string, SenderToolLayer>;
  /** The `"*"` entry. */
  readonly wildcard: SenderToolLayer | undefined;
}

const TYPED = /^(id|e164|username|name):(.*)$/s;
const CHANNEL_KEY = /^channel:([^:]+):(.+)$/s;

/**
 * Normalise one `toolsBySender` key. Typed keys: `id:`, `e164:`, `username:`, `name:`,
 * `channel:<channel>:<id>`, and `"*"`. Keys are trimmed and lowercased; a leading `@` is removed
 * only from `username:` and untyped keys. An untyped key means `id:` (OpenClaw deprecated untyped
 * keys because the LEGACY matcher let a display name equal to a victim's id inherit the
 * victim's grants).
 */
export function normalizeSenderKey(key: string): { typedKey: string; untyped: boolean } | undefined {
  const k = key.trim().toLowerCase();
  if (k === '*') return { typedKey: '*', untyped: false };
  const channel = CHANNEL_KEY.exec(k);
  if (channel) return { typedKey: `channel:${channel[1]!.trim()}:${channel[2]!.trim()}`, untyped: false };
  const typed = TYPED.exec(k);
  if (typed) {
    const kind = typed[1]!;
    let value = typed[2]!.trim();
    if (kind === 'username') value = value.replace(/^@/, '');
    if (kind === 'e164') value = normalizeE164(value) ?? '';
    return value.length === 0 ? undefined : { typedKey: `${kind}:${value}`, untyped: false };
  }
  const id = k.replace(/^@/, '');
  return id.length === 0 ? undefined : { typedKey: `id:${id}`, untyped: true };
}

/**
 * Compile a `toolsBySender` map. Bad keys are `issues`; untyped keys and name keys that cannot
 * match without the dangerous opt-in are `warnings`.
 * @internal
 */
export function compileSenderPolicies(
  record: Readonly<Record<string, ToolPolicyConfig>>,
  path: string,
  groups: ToolGroups,
  allowNames: boolean,
  issues: ConfigIssue[],
  warnings: ConfigIssue[],
): CompiledSenderPolicies {
  const byKey = new Map<string, SenderToolLayer>();
  let wildcard: SenderToolLayer | undefined;
  for (const [key, policy] of Object.entries(record)) {
    const at = `${path}.${key}`;
    const norm = normalizeSenderKey(key);
    if (norm === undefined) {
      issues.push({
        path: at,
        message:
          'is not a usable sender key; use "id:<id>", "e164:<phone>", "username:<name>", "name:<name>" or "*"',
      });
      continue;
    }
    if (norm.untyped) {
      warnings.push({
        path: at,
        message: `untyped sender key: treated as "${norm.typedKey}" (an id); write it as "${norm.typedKey}"`,
      });
    }
    if (!allowNames && (norm.typedKey.startsWith('name:') || norm.typedKey.startsWith('username:'))) {
      warnings.push({
        path: at,
        message:
          'names and usernames can be changed by their owner, so this key never matches unless the channel sets ' +
          'dangerouslyAllowNameMatching: true',
      });
    }
    const entry: SenderToolLayer = Object.freeze({
      key,
      typedKey: norm.typedKey,
      layer: isEmptyToolPolicy(policy) ? undefined : compileToolLayer(policy, at, groups, issues),
    });
    if (norm.typedKey === '*') wildcard ??= entry;
    else if (!byKey.has(norm.typedKey)) byKey.set(norm.typedKey, entry);
  }
  return Object.freeze({ byKey, wildcard });
}

/**
 * The non-empty `toolsBySender` entry for a sender, in OpenClaw's order: `channel:<channel>:<id>`, `id:`
 * (as is, then without a leading `@`), `e164:`, then — only with `allowNames` — `username:` and
 * `name:`, and finally `"*"`.
 */
export function matchSenderPolicy(
  compiled: CompiledSenderPolicies,
  channel: string,
  sender: Sender | undefined,
  allowNames: boolean,
): SenderToolLayer | undefined {
  if (sender !== undefined && compiled.byKey.size > 0) {
    const id = sender.id.trim().toLowerCase();
    const candidates: string[] = [];
    if (id.length > 0) {
      candidates.push(`channel:${channel.toLowerCase()}:${id}`, `id:${id}`);
      if (id.startsWith('@') && id.length > 1) candidates.push(`id:${id.slice(1)}`);
    }
    if (sender.e164 !== undefined) {
      const e164 = normalizeE164(sender.e164);
      if (e164 !== undefined) candidates.push(`e164:${e164}`);
    }
    if (allowNames) {
      const username = sender.username?.trim().toLowerCase().replace(/^@/, '');
      if (username) candidates.push(`username:${username}`);
      const name = sender.name?.trim().toLowerCase();
      if (name) candidates.push(`name:${name}`);
    }
    for (const c of candidates) {
      const hit = compiled.byKey.get(c);
      // An empty entry is no result: resolution moves on (§6.2 "first non-empty result").
      if (hit?.layer !== undefined) return hit;
    }
  }
  return compiled.wildcard?.layer === undefined ? undefined : compiled.wildcard;
}
