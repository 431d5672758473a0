import { InvalidSessionKeyError } from './errors.js';
import { unescapeKeySegment } from './escape.js';
import { formatPartsUnchecked, groupParts, partsProblem, TOPIC_SEPARATOR } from './format.js';
import type { SessionKeyParts } from './types.js';

/** Parse a key, or return what is wrong with it. */
function parseOrReason(key: unknown): SessionKeyParts | string {
  if (typeof key !== 'string') return 'a session key must be a string';
  const segments = key.split(':');
  if (segments[0] !== 'agent') return 'a session key starts with "agent:"';
  if (segments.length < 3) return 'expected agent:<agentId>:<rest>';
  const agentId = segments[1] as string;
  const raw = segments.slice(2);
  const ids: string[] = [];
  // Decode every segment up front; markers are only recognised where the grammar puts them, and an
  // id segment can never equal a marker (the builder escapes such ids).
  for (const segment of raw) {
    if (segment === '') return 'empty segment (two ":" in a row, or a trailing ":")';
    const decoded = unescapeKeySegment(segment);
    ids.push(decoded ?? '');
  }
  const id = (i: number): string | undefined => (raw[i] !== undefined && ids[i] !== '' ? ids[i] : undefined);
  let n = raw.length;
  let threadId: string | undefined;
  if (n >= 3 && raw[n - 2] === 'thread') {
    threadId = id(n - 1);
    if (threadId === undefined) return 'invalid thread id segment';
    n -= 2;
  }
  const first = raw[0];
  let parts: SessionKeyParts | undefined;
  if (n === 1) {
    const mainKey = id(0);
    if (mainKey !== undefined) parts = { agentId, kind: 'main', mainKey };
  } else if (first === 'direct' && n === 2) {
    const peerId = id(1);
    if (peerId !== undefined) parts = { agentId, kind: 'direct', dmScope: 'per-peer', peerId };
  } else if (first === 'subagent') {
    const runIds: string[] = [];
    for (let i = 0; i < n; i += 2) {
      const runId = id(i + 1);
      if (raw[i] !== 'subagent' || runId === undefined) return 'invalid subagent key';
      runIds.push(runId);
    }
    parts = { agentId, kind: 'subagent', runIds };
  } else if (first === 'acp') {
    const sessionId = id(n - 1);
    const pluginId = id(2);
    if (n === 2 && sessionId !== undefined) parts = { agentId, kind: 'acp', sessionId };
    else if (n === 4 && raw[1] === 'plugin' && pluginId !== undefined && sessionId !== undefined) {
      parts = { agentId, kind: 'acp', sessionId, pluginId };
    }
  } else if (first === 'cron') {
    const jobId = id(1);
    const runId = id(3);
    if (n === 2 && jobId !== undefined) parts = { agentId, kind: 'cron', jobId };
    else if (n === 4 && raw[2] === 'run' && jobId !== undefined && runId !== undefined) {
      parts = { agentId, kind: 'cron', jobId, runId };
    }
  } else {
    const channel = id(0);
    const second = raw[1];
    if (channel === undefined) return 'invalid channel segment';
    if (n === 3 && second === 'direct') {
      const peerId = id(2);
      if (peerId !== undefined)
        parts = { agentId, kind: 'direct', dmScope: 'per-channel-peer', channel, peerId };
    } else if (n === 4 && raw[2] === 'direct') {
      const accountId = id(1);
      const peerId = id(3);
      if (accountId !== undefined && peerId !== undefined) {
        parts = { agentId, kind: 'direct', dmScope: 'per-account-channel-peer', channel, accountId, peerId };
      }
    } else if ((second === 'group' || second === 'channel') && (n === 3 || (n === 5 && raw[3] === 'topic'))) {
      const chat = id(2);
      const topic = n === 5 ? id(4) : '';
      if (chat !== undefined && topic !== undefined) {
        parts = groupParts(agentId, second, channel, n === 5 ? `${chat}${TOPIC_SEPARATOR}${topic}` : chat);
      }
    }
  }
  if (parts === undefined) return 'not a known session key shape (see docs/sessions-and-keys.md)';
  if (threadId !== undefined) parts = { ...parts, threadId };
  const problem = partsProblem(parts);
  if (problem !== undefined) return problem;
  // One spelling per key: anything the builder would write differently (needless escapes,
  // lowercase hex, an unstructured topic) is rejected, so parsing is injective too.
  if (formatPartsUnchecked(parts) !== key) return 'not in canonical form (an id is escaped differently)';
  return parts;
}

/**
 * Parse a session key built by this library into its parts, with ids unescaped. Strict: the key
 * must be in canonical form (`formatSessionKey(parseSessionKey(k)) === k`), so
 * `parseSessionKey(buildSessionKey(x))` returns `x`'s normalised parts. For OpenClaw-built or
 * legacy keys use the lenient helpers (`parseAgentSessionKey`, `deriveSessionChatType` …).
 *
 * @throws {InvalidSessionKeyError} naming what is wrong. Use {@link tryParseSessionKey} for `null` instead.
 */
export function parseSessionKey(key: string): SessionKeyParts {
  const result = parseOrReason(key);
  if (typeof result === 'string') throw new InvalidSessionKeyError(key, result);
  return result;
}

/** Like {@link parseSessionKey}, but returns `null` for anything that is not a canonical key. */
export function tryParseSessionKey(key: string): SessionKeyParts | null {
  const result = parseOrReason(key);
  return typeof result === 'string' ? null : result;
}
