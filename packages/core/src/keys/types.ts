import type { ChatType } from '@claw/channel-kit';

/**
 * How direct-message sessions are split (OpenClaw's `session.dmScope`):
 * - `main`: every DM of every sender shares the agent's main session (OpenClaw's default; unsafe
 *   when more than one person can write to the bot);
 * - `per-peer`: one session per sender, across channels (`agent:<a>:direct:<peer>`);
 * - `per-channel-peer`: one session per sender and channel (`agent:<a>:<channel>:direct:<peer>`);
 * - `per-account-channel-peer`: one per sender, channel and bot account.
 */
export type DmScope = 'main' | 'per-peer' | 'per-channel-peer' | 'per-account-channel-peer';

/** Every {@link DmScope}, in order of increasing isolation. */
export const DM_SCOPES: readonly DmScope[] = Object.freeze([
  'main',
  'per-peer',
  'per-channel-peer',
  'per-account-channel-peer',
] as DmScope[]);

/**
 * How group and channel sessions are split: `per-group` (default: one session per group or
 * channel) or `main` (every group shares the agent's main session).
 */
export type GroupScope = 'per-group' | 'main';

/** Every {@link GroupScope}. */
export const GROUP_SCOPES: readonly GroupScope[] = Object.freeze(['per-group', 'main'] as GroupScope[]);

/**
 * Identity links: a canonical person name → the ids that person uses, each written
 * `<channel>:<id>` (e.g. `{ alice: ['telegram:111', 'discord:222'] }`). A linked DM peer gets the
 * canonical name in its session key instead of its platform id.
 */
export type IdentityLinks = Readonly<Record<string, readonly string[]>>;

/** A peer as the key builder accepts it: ids may be numbers or bigints; `dm`/`supergroup` are aliases. */
export interface SessionKeyPeer {
  /** `direct`, `group` or `channel` (`dm` and `supergroup` are accepted and normalised). */
  readonly kind: ChatType | 'dm' | 'supergroup';
  /** The platform's id of the conversation. A blank id is written as `unknown`. */
  readonly id: string | number | bigint;
}

/** Everything {@link buildSessionKey} needs to pick a conversation's session key. */
export interface SessionKeyInput {
  /** The agent that owns the session. Normalised; blank → `main`. */
  readonly agentId?: string | undefined;
  /** Channel id (`telegram`, `slack` …). Trimmed and lowercased; blank → `unknown`. */
  readonly channel?: string | undefined;
  /** Bot account on the channel. Normalised; blank → `default`. Used by `per-account-channel-peer`. */
  readonly accountId?: string | undefined;
  /** The conversation. Absent → the agent's main session. */
  readonly peer?: SessionKeyPeer | null | undefined;
  /** How DMs are split. Default `main`. */
  readonly dmScope?: DmScope | undefined;
  /** How groups and channels are split. Default `per-group`. */
  readonly groupScope?: GroupScope | undefined;
  /** Identity links (only `<channel>:<id>` entries; applied to DMs when `dmScope` is not `main`). */
  readonly identityLinks?: IdentityLinks | undefined;
  /** Name of the main session. Trimmed and lowercased; blank → `main`. */
  readonly mainKey?: string | undefined;
  /** Thread inside the conversation (Slack `thread_ts`, Matrix thread root …): adds `:thread:<id>`. */
  readonly threadId?: string | number | bigint | undefined;
  /**
   * The channel's ids are case-insensitive (the adapter's `caseInsensitiveIds` capability): peer
   * and thread ids are lowercased, as OpenClaw does. Default `false`: case is preserved, so two
   * conversations whose ids differ only in case never share a session.
   */
  readonly caseInsensitiveIds?: boolean | undefined;
}

/** Fields every parsed key has. */
interface SessionKeyBase {
  /** The (canonical) agent id. */
  readonly agentId: string;
  /** The thread suffix, when the key is a thread inside another conversation. Unescaped. */
  readonly threadId?: string;
}

/** `agent:<agentId>:<mainKey>`: the agent's main session. */
export interface MainSessionKeyParts extends SessionKeyBase {
  readonly kind: 'main';
  /** The main key (canonical: trimmed, lowercased). */
  readonly mainKey: string;
}

/** A DM session under one of the per-* scopes. */
export interface DirectSessionKeyParts extends SessionKeyBase {
  readonly kind: 'direct';
  /** The scope that produced the key (never `main`: a `main` DM is a {@link MainSessionKeyParts}). */
  readonly dmScope: Exclude<DmScope, 'main'>;
  /** Channel (for `per-channel-peer` and `per-account-channel-peer`). */
  readonly channel?: string;
  /** Account (for `per-account-channel-peer`). */
  readonly accountId?: string;
  /** The sender's id, or the canonical identity name it is linked to. Unescaped. */
  readonly peerId: string;
}

/** A group or channel (room) session. */
export interface GroupSessionKeyParts extends SessionKeyBase {
  /** The conversation kind: a group, or a channel / room. */
  readonly kind: 'group' | 'channel';
  /** Channel id. */
  readonly channel: string;
  /** The conversation id, unescaped (for a Telegram forum topic: `<chatId>:topic:<topicId>`). */
  readonly peerId: string;
  /** For a forum topic (peer id `<chatId>:topic:<topicId>`): the topic id. Derived from `peerId`. */
  readonly topicId?: string;
}

/** `agent:<agentId>:subagent:<runId>` (nested: one `subagent:<runId>` pair per level). */
export interface SubagentSessionKeyParts extends SessionKeyBase {
  readonly kind: 'subagent';
  /** Run ids from the outermost to this one; the depth is the length. */
  readonly runIds: readonly string[];
}

/** `agent:<agentId>:acp:<sessionId>` or, plugin-spawned, `agent:<agentId>:acp:plugin:<pluginId>:<sessionId>`. */
export interface AcpSessionKeyParts extends SessionKeyBase {
  readonly kind: 'acp';
  /** The ACP session id. */
  readonly sessionId: string;
  /** The plugin that spawned the session, if any. */
  readonly pluginId?: string;
}

/** `agent:<agentId>:cron:<jobId>` or an isolated run `agent:<agentId>:cron:<jobId>:run:<runId>`. */
export interface CronSessionKeyParts extends SessionKeyBase {
  readonly kind: 'cron';
  /** The cron job id. */
  readonly jobId: string;
  /** The isolated run id, if this is one run's own session. */
  readonly runId?: string;
}

/** The structure of a session key, as {@link parseSessionKey} returns it (ids unescaped). */
export type SessionKeyParts =
  | MainSessionKeyParts
  | DirectSessionKeyParts
  | GroupSessionKeyParts
  | SubagentSessionKeyParts
  | AcpSessionKeyParts
  | CronSessionKeyParts;

/** The `kind` of a {@link SessionKeyParts}. */
export type SessionKeyKind = SessionKeyParts['kind'];
