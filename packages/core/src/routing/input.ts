import { type ChatType, InvalidMessageError } from '@claw/channel-kit';
import {
  type DmScope,
  type GroupScope,
  normalizeAccountId,
  normalizeAgentId,
  normalizeChannelId,
  normalizeChatType,
  normalizeIdValue,
} from '../keys/index.js';
import type { RouteInput } from './types.js';

/** A route input after cheap validation and normalisation (no zod on the hot path). */
export interface NormalizedRouteInput {
  readonly channel: string;
  readonly accountId: string;
  /** `undefined` when there is no peer. */
  readonly peerKind: ChatType | undefined;
  readonly peerId: string;
  /** `undefined` when there is no parent peer. */
  readonly parentKind: ChatType | undefined;
  readonly parentId: string;
  /** `''` when absent. */
  readonly guildId: string;
  /** `''` when absent. */
  readonly teamId: string;
  /** `undefined` when absent or empty. */
  readonly roles: readonly string[] | undefined;
  readonly threadId: unknown;
  readonly dmScope: DmScope | undefined;
  readonly groupScope: GroupScope | undefined;
  readonly defaultAgentId: string | undefined;
}

function fail(path: string, message: string): never {
  throw new InvalidMessageError([{ path, message }]);
}

function isId(value: unknown): boolean {
  const t = typeof value;
  return t === 'string' || t === 'number' || t === 'bigint';
}

function optionalId(value: unknown, path: string): string {
  if (value === undefined || value === null) return '';
  if (!isId(value)) fail(path, `must be a string id (numbers and bigints are accepted; got ${typeof value})`);
  return normalizeIdValue(value);
}

/** The normalised kind of an optional peer (`undefined` when absent); validates the peer's shape. */
function peerKindOf(value: unknown, path: string): ChatType | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object') fail(path, 'must be an object { kind, id }');
  const peer = value as { kind?: unknown; id?: unknown };
  const kind = normalizeChatType(peer.kind);
  if (kind === undefined) {
    fail(
      `${path}.kind`,
      `must be direct, group or channel (dm and supergroup are accepted; got ${JSON.stringify(peer.kind)})`,
    );
  }
  if (!isId(peer.id)) fail(`${path}.id`, 'must be a string id (numbers and bigints are accepted)');
  return kind;
}

/** The trimmed id of a peer already checked by {@link peerKindOf}. */
function peerIdOf(value: unknown): string {
  return value === undefined || value === null ? '' : normalizeIdValue((value as { id?: unknown }).id);
}

const DM_SCOPES: ReadonlySet<unknown> = new Set([
  'main',
  'per-peer',
  'per-channel-peer',
  'per-account-channel-peer',
]);

/**
 * Small memo of channel/account normalisation: inputs repeat a handful of channel and account
 * strings, so the regex and case work is done once per distinct string. Bounded; cleared when full.
 */
export class NormalizeMemo {
  private readonly channels = new Map<string, string>();
  private readonly accounts = new Map<string, string>();

  channel(raw: string): string {
    let id = this.channels.get(raw);
    if (id === undefined) {
      id = normalizeChannelId(raw);
      if (this.channels.size >= 1024) this.channels.clear();
      this.channels.set(raw, id);
    }
    return id;
  }

  account(raw: string): string {
    let id = this.accounts.get(raw);
    if (id === undefined) {
      id = normalizeAccountId(raw);
      if (this.accounts.size >= 4096) this.accounts.clear();
      this.accounts.set(raw, id);
    }
    return id;
  }
}

/**
 * Validate and normalise a route input. Cheap checks only: a missing channel, a bad peer kind or
 * an id of the wrong type is an `InvalidMessageError` naming the field.
 */
export function normalizeRouteInput(input: RouteInput, memo: NormalizeMemo): NormalizedRouteInput {
  if (typeof input !== 'object' || input === null) fail('', 'a route input must be an object');
  const rawChannel: unknown = input.channel;
  if (typeof rawChannel !== 'string') fail('channel', 'is required: a channel id such as "telegram"');
  const channel = memo.channel(rawChannel);
  if (channel === '') fail('channel', 'must not be blank');
  const rawAccount: unknown = input.accountId;
  if (rawAccount !== undefined && rawAccount !== null && typeof rawAccount !== 'string') {
    fail('accountId', 'must be a string');
  }
  const accountId = typeof rawAccount === 'string' ? memo.account(rawAccount) : 'default';
  const peerKind = peerKindOf(input.peer, 'peer');
  const parentKind = peerKindOf(input.parentPeer, 'parentPeer');
  const rawRoles: unknown = input.memberRoleIds;
  let roles: readonly string[] | undefined;
  if (rawRoles !== undefined && rawRoles !== null) {
    if (!Array.isArray(rawRoles)) fail('memberRoleIds', 'must be a list of role ids');
    for (let i = 0; i < rawRoles.length; i++) {
      if (typeof rawRoles[i] !== 'string') {
        if (!isId(rawRoles[i])) fail(`memberRoleIds.${i}`, 'must be a role id');
        roles = rawRoles.map(String);
        break;
      }
    }
    roles ??= rawRoles as string[];
    if (roles.length === 0) roles = undefined;
  }
  const threadId: unknown = input.threadId;
  if (threadId !== undefined && threadId !== null && !isId(threadId)) fail('threadId', 'must be a string id');
  const dmScope = input.dmScope;
  if (dmScope !== undefined && !DM_SCOPES.has(dmScope)) {
    fail('dmScope', 'must be one of main, per-peer, per-channel-peer, per-account-channel-peer');
  }
  const groupScope = input.groupScope;
  if (groupScope !== undefined && groupScope !== 'per-group' && groupScope !== 'main') {
    fail('groupScope', 'must be per-group or main');
  }
  const rawDefault: unknown = input.defaultAgentId;
  if (rawDefault !== undefined && typeof rawDefault !== 'string') fail('defaultAgentId', 'must be a string');
  return {
    channel,
    accountId,
    peerKind,
    peerId: peerIdOf(input.peer),
    parentKind,
    parentId: peerIdOf(input.parentPeer),
    guildId: optionalId(input.guildId, 'guildId'),
    teamId: optionalId(input.teamId, 'teamId'),
    roles,
    threadId,
    dmScope,
    groupScope,
    defaultAgentId: rawDefault === undefined ? undefined : normalizeAgentId(rawDefault),
  };
}
