import type { ChatType } from '@claw/channel-kit';
import { formatPartsUnchecked } from './format.js';
import { tryParseSessionKey } from './parse.js';
import type { SessionKeyParts } from './types.js';

/**
 * These helpers accept any string. A canonical key built by this library is classified from its
 * exact structure (so an escaped id can never be mistaken for a marker); anything else (keys
 * written by OpenClaw, legacy and alias keys) falls back to OpenClaw's lenient, token-based rules
 * (routing.md §3.5).
 */

/** OpenClaw's lenient agent-key split: trimmed, empty segments dropped, `agent` prefix, ≥ 3 parts. */
export function parseAgentSessionKey(key: string): { agentId: string; rest: string } | null {
  if (typeof key !== 'string') return null;
  const parts = key
    .trim()
    .split(':')
    .filter((p) => p !== '');
  if (parts.length < 3 || (parts[0] as string).toLowerCase() !== 'agent') return null;
  return { agentId: (parts[1] as string).toLowerCase(), rest: parts.slice(2).join(':') };
}

/** The shape of a stored key: `missing` (blank), `agent`, `malformed_agent` or `legacy_or_alias`. */
export type SessionKeyShape = 'missing' | 'agent' | 'malformed_agent' | 'legacy_or_alias';

/** Classify a key's shape, as OpenClaw's `classifySessionKeyShape`. */
export function classifySessionKeyShape(key: string | undefined | null): SessionKeyShape {
  if (typeof key !== 'string' || key.trim() === '') return 'missing';
  if (parseAgentSessionKey(key) !== null) return 'agent';
  return key.trim().toLowerCase().startsWith('agent:') ? 'malformed_agent' : 'legacy_or_alias';
}

/** The lowercased rest of a non-canonical key (or the whole key when it has no agent prefix). */
function lenientRest(key: string): string {
  const lower = key.trim().toLowerCase();
  return parseAgentSessionKey(lower)?.rest ?? lower;
}

/** True for a sub-agent run's session (`agent:<id>:subagent:<run>`, or a bare `subagent:<run>` request key). */
export function isSubagentSessionKey(key: string): boolean {
  const parts = tryParseSessionKey(key);
  if (parts !== null) return parts.kind === 'subagent';
  return typeof key === 'string' && lenientRest(key).startsWith('subagent:');
}

/** How deeply a sub-agent session is nested: 0 for a non-sub-agent key, 1 for `…:subagent:<run>`, … */
export function getSubagentDepth(key: string): number {
  const parts = tryParseSessionKey(key);
  if (parts !== null) return parts.kind === 'subagent' ? parts.runIds.length : 0;
  if (typeof key !== 'string') return 0;
  return key.toLowerCase().split(':subagent:').length - 1;
}

/** True for an ACP session (`agent:<id>:acp:…`, or a bare `acp:…` request key). */
export function isAcpSessionKey(key: string): boolean {
  const parts = tryParseSessionKey(key);
  if (parts !== null) return parts.kind === 'acp';
  return typeof key === 'string' && lenientRest(key).startsWith('acp:');
}

/** True for a cron job's session (`agent:<id>:cron:<job>`, with or without a run). */
export function isCronSessionKey(key: string): boolean {
  const parts = tryParseSessionKey(key);
  if (parts !== null) return parts.kind === 'cron';
  return (
    typeof key === 'string' && parseAgentSessionKey(key.toLowerCase())?.rest.startsWith('cron:') === true
  );
}

const CRON_RUN = /^cron:[^:]+:run:[^:]+/;

/** True for one isolated run of a cron job (`agent:<id>:cron:<job>:run:<run>`). */
export function isCronRunSessionKey(key: string): boolean {
  const parts = tryParseSessionKey(key);
  if (parts !== null) return parts.kind === 'cron' && parts.runId !== undefined;
  if (typeof key !== 'string') return false;
  const rest = parseAgentSessionKey(key.toLowerCase())?.rest;
  return rest !== undefined && CRON_RUN.test(rest);
}

const LEGACY_DISCORD_CHANNEL = /^discord:(?:[^:]+:)?guild-[^:]+:channel-[^:]+$/;

/**
 * The chat type a key belongs to: `direct`, `group`, `channel` or `unknown` (main, sub-agent, cron
 * … keys). Send and reset policies key off this.
 */
export function deriveSessionChatType(key: string): ChatType | 'unknown' {
  const parts = tryParseSessionKey(key);
  if (parts !== null) {
    return parts.kind === 'direct' || parts.kind === 'group' || parts.kind === 'channel'
      ? parts.kind
      : 'unknown';
  }
  if (typeof key !== 'string') return 'unknown';
  const rest = lenientRest(key);
  const tokens = new Set(rest.split(':'));
  if (tokens.has('group')) return 'group';
  if (tokens.has('channel')) return 'channel';
  if (tokens.has('direct') || tokens.has('dm')) return 'direct';
  return LEGACY_DISCORD_CHANNEL.test(rest) ? 'channel' : 'unknown';
}

function withoutThread(parts: SessionKeyParts): SessionKeyParts {
  const { threadId: _ignored, ...base } = parts;
  return base as SessionKeyParts;
}

/**
 * Split a thread key into its base key and thread id (unescaped). For a key without a thread,
 * `threadId` is `undefined` and the base is the key itself. Non-canonical keys split at the last
 * `:thread:` (case-insensitive), as OpenClaw does; `:topic:` is never a thread marker.
 */
export function parseThreadSessionSuffix(key: string): {
  baseSessionKey: string;
  threadId: string | undefined;
} {
  const parts = tryParseSessionKey(key);
  if (parts !== null) {
    if (parts.threadId === undefined) return { baseSessionKey: key, threadId: undefined };
    return { baseSessionKey: formatPartsUnchecked(withoutThread(parts)), threadId: parts.threadId };
  }
  const at = typeof key === 'string' ? key.toLowerCase().lastIndexOf(':thread:') : -1;
  const threadId = at === -1 ? '' : key.slice(at + ':thread:'.length);
  if (at <= 0 || threadId === '') return { baseSessionKey: key, threadId: undefined };
  return { baseSessionKey: key.slice(0, at), threadId };
}

/** The parent (base) key of a thread key, or `null` when the key is not a thread key. */
export function resolveThreadParentSessionKey(key: string): string | null {
  const { baseSessionKey, threadId } = parseThreadSessionSuffix(key);
  return threadId === undefined ? null : baseSessionKey;
}
