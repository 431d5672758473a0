import type { ChatType } from '@claw/channel-kit';
import { escapeKeySegment as esc } from './escape.js';
import { normalizeAccountId, normalizeAgentId, normalizeChannelId, normalizeMainKey } from './normalize.js';
import type { GroupSessionKeyParts, SessionKeyParts } from './types.js';

/** The text between a forum chat id and its topic id inside a peer id (OpenClaw's Telegram convention). */
export const TOPIC_SEPARATOR = ':topic:';

/**
 * Where a group peer id splits into chat and topic: the last `:topic:` with something on both
 * sides, or -1. Telegram forum topics arrive as peer id `<chatId>:topic:<topicId>`.
 */
export function topicSplit(peerId: string): number {
  const at = peerId.lastIndexOf(TOPIC_SEPARATOR);
  return at > 0 && at + TOPIC_SEPARATOR.length < peerId.length ? at : -1;
}

/** The peer segment(s) of a group/channel key: a forum topic is written as `<chat>:topic:<topic>`. */
function groupPeerSegment(peerId: string): string {
  const at = topicSplit(peerId);
  if (at === -1) return esc(peerId);
  return `${esc(peerId.slice(0, at))}${TOPIC_SEPARATOR}${esc(peerId.slice(at + TOPIC_SEPARATOR.length))}`;
}

/** Group/channel parts for a (canonical) peer id, with the derived topic id of a forum topic. */
export function groupParts(
  agentId: string,
  kind: Exclude<ChatType, 'direct'>,
  channel: string,
  peerId: string,
): GroupSessionKeyParts {
  const at = topicSplit(peerId);
  return at === -1
    ? { agentId, kind, channel, peerId }
    : { agentId, kind, channel, peerId, topicId: peerId.slice(at + TOPIC_SEPARATOR.length) };
}

/**
 * Write parts as a key without checking them (the caller guarantees canonical parts). Every id
 * segment is escaped; markers are written literally.
 */
export function formatPartsUnchecked(parts: SessionKeyParts): string {
  let key = `agent:${parts.agentId}:`;
  switch (parts.kind) {
    case 'main':
      key += esc(parts.mainKey);
      break;
    case 'direct':
      if (parts.dmScope === 'per-peer') key += `direct:${esc(parts.peerId)}`;
      else if (parts.dmScope === 'per-channel-peer')
        key += `${esc(parts.channel ?? '')}:direct:${esc(parts.peerId)}`;
      else key += `${esc(parts.channel ?? '')}:${esc(parts.accountId ?? '')}:direct:${esc(parts.peerId)}`;
      break;
    case 'group':
    case 'channel':
      key += `${esc(parts.channel)}:${parts.kind}:${groupPeerSegment(parts.peerId)}`;
      break;
    case 'subagent':
      key += parts.runIds.map((id) => `subagent:${esc(id)}`).join(':');
      break;
    case 'acp':
      key +=
        parts.pluginId === undefined
          ? `acp:${esc(parts.sessionId)}`
          : `acp:plugin:${esc(parts.pluginId)}:${esc(parts.sessionId)}`;
      break;
    case 'cron':
      key +=
        parts.runId === undefined
          ? `cron:${esc(parts.jobId)}`
          : `cron:${esc(parts.jobId)}:run:${esc(parts.runId)}`;
      break;
  }
  return parts.threadId === undefined ? key : `${key}:thread:${esc(parts.threadId)}`;
}

/** A non-blank id without surrounding whitespace (what every id normaliser produces). */
function isCanonicalId(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && value.trim() === value;
}

/**
 * What makes `parts` non-canonical, or `undefined` when they are canonical (exactly what the
 * builders and the parser produce).
 */
export function partsProblem(parts: SessionKeyParts): string | undefined {
  if (typeof parts !== 'object' || parts === null) return 'parts must be an object';
  if (typeof parts.agentId !== 'string' || normalizeAgentId(parts.agentId) !== parts.agentId) {
    return `agentId ${JSON.stringify(parts.agentId)} is not a canonical agent id (1-64 of [a-z0-9_-])`;
  }
  if (parts.threadId !== undefined && !isCanonicalId(parts.threadId))
    return 'threadId must be a non-blank trimmed id';
  const channelOk = (c: unknown) => typeof c === 'string' && c !== '' && normalizeChannelId(c) === c;
  switch (parts.kind) {
    case 'main':
      return typeof parts.mainKey === 'string' && normalizeMainKey(parts.mainKey) === parts.mainKey
        ? undefined
        : 'mainKey must be non-blank, trimmed and lowercase';
    case 'direct': {
      if (!isCanonicalId(parts.peerId)) return 'peerId must be a non-blank trimmed id';
      const wantsChannel = parts.dmScope !== 'per-peer';
      const wantsAccount = parts.dmScope === 'per-account-channel-peer';
      if (parts.dmScope !== 'per-peer' && parts.dmScope !== 'per-channel-peer' && !wantsAccount) {
        return 'dmScope must be per-peer, per-channel-peer or per-account-channel-peer';
      }
      if (wantsChannel ? !channelOk(parts.channel) : parts.channel !== undefined) {
        return wantsChannel
          ? 'channel must be a non-blank lowercase channel id'
          : 'per-peer keys have no channel';
      }
      if (wantsAccount) {
        if (typeof parts.accountId !== 'string' || normalizeAccountId(parts.accountId) !== parts.accountId) {
          return 'accountId must be a canonical account id';
        }
      } else if (parts.accountId !== undefined) return `${parts.dmScope} keys have no accountId`;
      return undefined;
    }
    case 'group':
    case 'channel': {
      if (!channelOk(parts.channel)) return 'channel must be a non-blank lowercase channel id';
      if (!isCanonicalId(parts.peerId)) return 'peerId must be a non-blank trimmed id';
      const at = topicSplit(parts.peerId);
      const topic = at === -1 ? undefined : parts.peerId.slice(at + TOPIC_SEPARATOR.length);
      return parts.topicId === topic
        ? undefined
        : 'topicId must be the part of peerId after the last ":topic:"';
    }
    case 'subagent':
      return Array.isArray(parts.runIds) && parts.runIds.length > 0 && parts.runIds.every(isCanonicalId)
        ? undefined
        : 'runIds must be a non-empty list of non-blank trimmed ids';
    case 'acp':
      if (!isCanonicalId(parts.sessionId)) return 'sessionId must be a non-blank trimmed id';
      return parts.pluginId === undefined || isCanonicalId(parts.pluginId)
        ? undefined
        : 'pluginId must be a non-blank trimmed id';
    case 'cron':
      if (!isCanonicalId(parts.jobId)) return 'jobId must be a non-blank trimmed id';
      return parts.runId === undefined || isCanonicalId(parts.runId)
        ? undefined
        : 'runId must be a non-blank trimmed id';
    default:
      return `unknown kind ${JSON.stringify((parts as { kind?: unknown }).kind)}`;
  }
}
