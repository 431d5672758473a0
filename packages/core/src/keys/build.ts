import type { ChatType } from '@claw/channel-kit';
import { SessionKeyInputError } from './errors.js';
import { escapeKeySegment } from './escape.js';
import { formatPartsUnchecked, groupParts, partsProblem } from './format.js';
import { type CompiledIdentityLinks, compileIdentityLinks, resolveIdentityLink } from './identity-links.js';
import {
  normalizeAccountId,
  normalizeAgentId,
  normalizeChannelId,
  normalizeChatType,
  normalizeIdValue,
  normalizeMainKey,
} from './normalize.js';
import { parseSessionKey } from './parse.js';
import type { DmScope, GroupScope, SessionKeyInput, SessionKeyParts } from './types.js';

const DM_SCOPE_SET: ReadonlySet<string> = new Set([
  'main',
  'per-peer',
  'per-channel-peer',
  'per-account-channel-peer',
]);

/**
 * Already-normalised values from which a conversation's parts are chosen. Shared by
 * {@link buildSessionKey} and the router so both follow one algorithm (routing.md §3.2).
 */
export interface NormalizedPeerKeyInput {
  /** Canonical agent id. */
  readonly agentId: string;
  /** Canonical channel id (never blank: `unknown` stands for a blank one). */
  readonly channel: string;
  /** Canonical account id. */
  readonly accountId: string;
  /** Normalised kind, or `undefined` for "no peer" (the main session). */
  readonly kind: ChatType | undefined;
  /** Trimmed peer id; blank is written as `unknown`. */
  readonly peerId: string;
  readonly dmScope: DmScope;
  readonly groupScope: GroupScope;
  /** Canonical main key. */
  readonly mainKey: string;
  readonly links: CompiledIdentityLinks | undefined;
  readonly caseInsensitiveIds: boolean;
}

/** Choose the parts of a conversation's key (routing.md §3.2), from normalised values. */
export function peerKeyParts(input: NormalizedPeerKeyInput): SessionKeyParts {
  const { agentId, kind } = input;
  if (kind === undefined) return { agentId, kind: 'main', mainKey: input.mainKey };
  let peerId = input.peerId === '' ? 'unknown' : input.peerId;
  if (kind === 'direct') {
    const dmScope = input.dmScope;
    if (dmScope === 'main') return { agentId, kind: 'main', mainKey: input.mainKey };
    const linked =
      input.links === undefined
        ? undefined
        : resolveIdentityLink(input.links, input.channel, peerId, input.caseInsensitiveIds);
    if (linked !== undefined) peerId = linked;
    else if (input.caseInsensitiveIds) peerId = peerId.toLowerCase();
    if (dmScope === 'per-peer') return { agentId, kind: 'direct', dmScope, peerId };
    if (dmScope === 'per-channel-peer')
      return { agentId, kind: 'direct', dmScope, channel: input.channel, peerId };
    return { agentId, kind: 'direct', dmScope, channel: input.channel, accountId: input.accountId, peerId };
  }
  if (input.groupScope === 'main') return { agentId, kind: 'main', mainKey: input.mainKey };
  return groupParts(agentId, kind, input.channel, input.caseInsensitiveIds ? peerId.toLowerCase() : peerId);
}

/** Canonical thread id: trimmed, lowercased on case-insensitive channels; blank → `undefined`. */
export function normalizeThreadId(threadId: unknown, caseInsensitiveIds: boolean): string | undefined {
  const id = normalizeIdValue(threadId);
  if (id === '') return undefined;
  return caseInsensitiveIds ? id.toLowerCase() : id;
}

function optionalString(value: unknown, field: string): void {
  if (value !== undefined && typeof value !== 'string') {
    throw new SessionKeyInputError(field, `must be a string (got ${typeof value})`);
  }
}

function optionalId(value: unknown, field: string): void {
  if (
    value !== undefined &&
    typeof value !== 'string' &&
    typeof value !== 'number' &&
    typeof value !== 'bigint'
  ) {
    throw new SessionKeyInputError(field, `must be a string, number or bigint id (got ${typeof value})`);
  }
}

/**
 * The normalised parts a {@link SessionKeyInput} stands for: exactly what
 * `parseSessionKey(buildSessionKey(input))` returns. Use it to compare or inspect keys without
 * string handling.
 *
 * @throws {SessionKeyInputError} for an unknown peer kind or scope, or a field of the wrong type.
 * @throws {ConfigError} for invalid identity links.
 */
export function normalizeSessionKeyInput(input: SessionKeyInput): SessionKeyParts {
  if (typeof input !== 'object' || input === null)
    throw new SessionKeyInputError('input', 'must be an object');
  optionalString(input.agentId, 'agentId');
  optionalString(input.channel, 'channel');
  optionalString(input.accountId, 'accountId');
  optionalString(input.mainKey, 'mainKey');
  optionalId(input.threadId, 'threadId');
  const dmScope = input.dmScope ?? 'main';
  if (!DM_SCOPE_SET.has(dmScope)) {
    throw new SessionKeyInputError(
      'dmScope',
      `must be one of main, per-peer, per-channel-peer, per-account-channel-peer (got ${JSON.stringify(dmScope)})`,
    );
  }
  const groupScope = input.groupScope ?? 'per-group';
  if (groupScope !== 'per-group' && groupScope !== 'main') {
    throw new SessionKeyInputError(
      'groupScope',
      `must be per-group or main (got ${JSON.stringify(groupScope)})`,
    );
  }
  const caseInsensitiveIds = input.caseInsensitiveIds === true;
  const peer = input.peer;
  let kind: ChatType | undefined;
  let peerId = '';
  if (peer !== undefined && peer !== null) {
    if (typeof peer !== 'object')
      throw new SessionKeyInputError('peer', 'must be an object { kind, id } or null');
    kind = normalizeChatType(peer.kind);
    if (kind === undefined) {
      throw new SessionKeyInputError(
        'peer.kind',
        `must be direct, group or channel (got ${JSON.stringify(peer.kind)})`,
      );
    }
    optionalId(peer.id, 'peer.id');
    peerId = normalizeIdValue(peer.id);
  }
  const parts = peerKeyParts({
    agentId: normalizeAgentId(input.agentId),
    channel: normalizeChannelId(input.channel) || 'unknown',
    accountId: normalizeAccountId(input.accountId),
    kind,
    peerId,
    dmScope,
    groupScope,
    mainKey: normalizeMainKey(input.mainKey),
    links: input.identityLinks === undefined ? undefined : compileIdentityLinks(input.identityLinks),
    caseInsensitiveIds,
  });
  const threadId = normalizeThreadId(input.threadId, caseInsensitiveIds);
  return threadId === undefined ? parts : { ...parts, threadId };
}

/**
 * The session key of a conversation (routing.md §3.1–§3.3), in OpenClaw's shapes:
 * `agent:<agent>:<mainKey>`, `agent:<agent>:direct:<peer>`, `agent:<agent>:<channel>:direct:<peer>`,
 * `agent:<agent>:<channel>:<account>:direct:<peer>`, `agent:<agent>:<channel>:group|channel:<peer>`,
 * plus `:thread:<id>`. Id segments are escaped (`%` → `%25`, `:` → `%3A`, a segment equal to a
 * marker word gets its first character encoded) so no two different conversations share a key;
 * ids without reserved characters give OpenClaw's text. A forum-topic peer id
 * `<chat>:topic:<topic>` keeps its `:topic:` structure. Case is preserved unless
 * `caseInsensitiveIds` is set.
 *
 * @throws {SessionKeyInputError} for an unknown peer kind or scope, or a field of the wrong type.
 * @throws {ConfigError} for invalid identity links.
 */
export function buildSessionKey(input: SessionKeyInput): string {
  return formatPartsUnchecked(normalizeSessionKeyInput(input));
}

/**
 * Write canonical parts as a key: the exact inverse of {@link parseSessionKey}.
 *
 * @throws {SessionKeyInputError} when the parts are not canonical (e.g. an uppercase main key).
 */
export function formatSessionKey(parts: SessionKeyParts): string {
  const problem = partsProblem(parts);
  if (problem !== undefined) throw new SessionKeyInputError('parts', problem);
  return formatPartsUnchecked(parts);
}

/** `agent:<agentId>:<mainKey>`: the agent's main session (defaults `main` and `main`). */
export function buildMainSessionKey(agentId?: string, mainKey?: string): string {
  optionalString(agentId, 'agentId');
  optionalString(mainKey, 'mainKey');
  return `agent:${normalizeAgentId(agentId)}:${escapeKeySegment(normalizeMainKey(mainKey))}`;
}

/** Options of {@link buildThreadSessionKey}. */
export interface ThreadKeyOptions {
  /** Lowercase the thread id (the channel's ids are case-insensitive). Default `false`. */
  readonly caseInsensitiveIds?: boolean;
}

/**
 * `<baseKey>:thread:<threadId>` (routing.md §3.4). A blank thread id returns the base key. The
 * base key must be a canonical session key without a thread; it is not re-normalised.
 *
 * @throws {InvalidSessionKeyError} when the base key is not a canonical key, or already a thread key.
 */
export function buildThreadSessionKey(
  baseSessionKey: string,
  threadId: string | number | bigint | undefined,
  options: ThreadKeyOptions = {},
): string {
  optionalId(threadId, 'threadId');
  const base = parseSessionKey(baseSessionKey);
  const id = normalizeThreadId(threadId, options.caseInsensitiveIds === true);
  if (id === undefined) return baseSessionKey;
  if (base.threadId !== undefined) {
    throw new SessionKeyInputError('baseSessionKey', 'is already a thread key; threads do not nest');
  }
  return `${baseSessionKey}:thread:${escapeKeySegment(id)}`;
}

/** Input of {@link resolveThreadSessionKeys}. */
export interface ThreadSessionKeysInput extends ThreadKeyOptions {
  /** The conversation's key. */
  readonly baseSessionKey: string;
  /** The thread id; blank means "not in a thread". */
  readonly threadId?: string | number | bigint | undefined;
  /** Passed through to the result when there is a thread. */
  readonly parentSessionKey?: string | undefined;
  /** Add the `:thread:<id>` suffix (default `true`); `false` keeps the base key. */
  readonly useSuffix?: boolean | undefined;
}

/**
 * OpenClaw's `resolveThreadSessionKeys` (routing.md §3.4): the key for a message in a thread and
 * the parent key to remember. A blank thread id → `{ sessionKey: base, parentSessionKey: undefined }`.
 */
export function resolveThreadSessionKeys(input: ThreadSessionKeysInput): {
  sessionKey: string;
  parentSessionKey: string | undefined;
} {
  const ci = input.caseInsensitiveIds === true;
  if (normalizeThreadId(input.threadId, ci) === undefined) {
    return { sessionKey: input.baseSessionKey, parentSessionKey: undefined };
  }
  const sessionKey =
    input.useSuffix === false
      ? input.baseSessionKey
      : buildThreadSessionKey(input.baseSessionKey, input.threadId, { caseInsensitiveIds: ci });
  return { sessionKey, parentSessionKey: input.parentSessionKey };
}

function requiredId(value: unknown, field: string): string {
  optionalId(value, field);
  const id = normalizeIdValue(value);
  if (id === '') throw new SessionKeyInputError(field, 'must be a non-blank id');
  return id;
}

/**
 * `agent:<agentId>:subagent:<runId>`: a background sub-agent run's session. Pass a list of run ids
 * (outermost first) for a nested run: `agent:main:subagent:parent:subagent:child`.
 */
export function buildSubagentSessionKey(agentId: string, runId: string | readonly string[]): string {
  optionalString(agentId, 'agentId');
  const runIds = typeof runId === 'string' ? [runId] : runId;
  if (!Array.isArray(runIds) || runIds.length === 0) {
    throw new SessionKeyInputError('runId', 'must be a run id or a non-empty list of run ids');
  }
  const ids = runIds.map((id, i) => requiredId(id, `runId.${i}`));
  return formatPartsUnchecked({ agentId: normalizeAgentId(agentId), kind: 'subagent', runIds: ids });
}

/**
 * `agent:<agentId>:acp:<sessionId>`, or `agent:<agentId>:acp:plugin:<pluginId>:<sessionId>` for a
 * plugin-spawned ACP session.
 */
export function buildAcpSessionKey(
  agentId: string,
  sessionId: string,
  options: { pluginId?: string } = {},
): string {
  optionalString(agentId, 'agentId');
  const id = requiredId(sessionId, 'sessionId');
  const agent = normalizeAgentId(agentId);
  if (options.pluginId === undefined)
    return formatPartsUnchecked({ agentId: agent, kind: 'acp', sessionId: id });
  const pluginId = requiredId(options.pluginId, 'pluginId');
  return formatPartsUnchecked({ agentId: agent, kind: 'acp', sessionId: id, pluginId });
}

/** `agent:<agentId>:cron:<jobId>`, or `…:cron:<jobId>:run:<runId>` for one isolated run of the job. */
export function buildCronSessionKey(agentId: string, jobId: string, runId?: string): string {
  optionalString(agentId, 'agentId');
  const job = requiredId(jobId, 'jobId');
  const agent = normalizeAgentId(agentId);
  if (runId === undefined) return formatPartsUnchecked({ agentId: agent, kind: 'cron', jobId: job });
  return formatPartsUnchecked({
    agentId: agent,
    kind: 'cron',
    jobId: job,
    runId: requiredId(runId, 'runId'),
  });
}
