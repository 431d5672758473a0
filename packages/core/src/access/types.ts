import type { ChatType, IdentityHooks } from '@claw/channel-kit';
import type { ToolPolicy } from '../tool-policy/resolve.js';
import type { ActivationCommand, ActivationMode, ControlCommand } from './commands.js';
import type { ImplicitMentionKind } from './config.js';
import type { AccessReason } from './reasons.js';

/** What to do with a message. */
export type AccessAction = 'dispatch' | 'skip' | 'drop' | 'pairing';

/** The bot's own identity on the channel, for mentions, replies and self-chat. */
export interface BotIdentity {
  /** The bot's user id (native mentions by id, replies to the bot). */
  readonly id?: string;
  /** The bot's username (`@username` in text, `/cmd@username`). */
  readonly username?: string;
  /** The bot's phone number on phone-based channels (self-chat, mention by number). */
  readonly e164?: string;
}

/**
 * Everything stateful or channel-specific `decideAccess` needs, read by the caller first (the
 * function itself does no I/O). All optional; omitted facts take the safe default.
 */
export interface AccessFacts {
  /** How the channel normalises ids (the adapter's `identity`). Default: by channel id (see `identityForChannel`). */
  readonly identity?: IdentityHooks;
  /**
   * The adapter fills `message.mentions` (capability `nativeMentions`). Default `true`: a group
   * message without a mention of the bot is then skipped. Pass `false` for a channel without
   * native mentions; mention gating then relies on patterns and, with none, is not enforced.
   */
  readonly nativeMentions?: boolean;
  /** The bot's own id, username and phone number on this channel. */
  readonly bot?: BotIdentity;
  /**
   * Owner ids (e.g. `commands.ownerAllowFrom`), optionally prefixed with the channel
   * (`telegram:123`); `"*"` is ignored. Owners may always run control commands and change
   * `/activation`. Default owners for `/activation`: the configured `allowFrom` (without `"*"`),
   * else the bot itself.
   */
  readonly ownerIds?: readonly string[];
  /** The agent that would answer (router result): selects its mention patterns, history limit and tools. */
  readonly agentId?: string;
  /** The session's `/activation` override (stored by the caller), if any. */
  readonly activation?: ActivationMode;
  /** The bot has taken part in this thread (implicit mention `bot_thread_participant`). */
  readonly botThreadParticipant?: boolean;
  /** Implicit mention kinds the adapter detected itself (e.g. `quoted_bot`). */
  readonly implicitMentions?: readonly ImplicitMentionKind[];
  /**
   * Sender ids approved through pairing for this channel account (the pairing store), read by
   * the caller. Consulted only for DMs under `dmPolicy: "pairing"`; never for groups.
   */
  readonly pairingAllowFrom?: readonly string[];
  /** Reading the pairing store failed. Under `pairing`, unknown senders are then blocked without a challenge. */
  readonly pairingStoreUnavailable?: boolean;
}

/** The gates of the pipeline, in evaluation order. */
export type AccessGate =
  | 'own_message'
  | 'bot_message'
  | 'dm_policy'
  | 'group_policy'
  | 'group_route'
  | 'group_sender'
  | 'command'
  | 'activation'
  | 'mention';

/** One step of a decision's trace. Plain data. */
export interface AccessGateTrace {
  /** Which gate. */
  readonly gate: AccessGate;
  /** `pass` (continue), `block` (drop or pairing), `skip` (kept as context), or `decide` (the final admitting gate). */
  readonly outcome: 'pass' | 'block' | 'skip' | 'decide';
  /** The gate's result code (an `AccessReason`, or a gate-level code such as `allowed`, `matched`). */
  readonly reason: string;
  /** The list or setting consulted (a config path, `pairing store`, `facts.ownerIds` …). */
  readonly list?: string;
  /** The entry that matched, when one did (`"*"` for the wildcard). */
  readonly entry?: string;
  /** What the gate saw, in plain words. */
  readonly detail: string;
}

/**
 * The access decision for one message. Plain, serializable data (apart from the functions
 * `explain` and `toolPolicy.isAllowed`/`explain`, which return plain data).
 */
export interface AccessDecision {
  /** `dispatch` runs the agent; `skip` keeps the message as group context; `drop` discards; `pairing` sends a pairing challenge, then discards. */
  readonly action: AccessAction;
  /** Why (stable code, see `AccessReasons`). */
  readonly reason: AccessReason;
  /** Whether the conversation is a DM, a group or a channel. */
  readonly chatType: ChatType;
  /** The *effective* mention: explicit, implicit, or an authorised command's bypass. */
  readonly wasMentioned: boolean;
  /** Whether this group requires a mention (after `/activation`); `false` for DMs. */
  readonly requireMention: boolean;
  /** The control command the message consists of, when it is one. */
  readonly command?: ControlCommand;
  /** A parsed `/activation` command, for the caller to store as the session's override (owners only). */
  readonly activationCommand?: ActivationCommand;
  /** The tool policy for the turn (on `dispatch`). */
  readonly toolPolicy?: ToolPolicy;
  /** The pending-history key of the group (`<channel>:<account>:<kind>:<peerId>`), on group `skip`/`dispatch`. */
  readonly historyKey?: string;
  /** How many skipped messages to keep for this group (0: none), on group `skip`/`dispatch`. */
  readonly historyLimit?: number;
  /** The ordered gate trace: which gate decided, which list and entry matched. */
  explain(): readonly AccessGateTrace[];
}
