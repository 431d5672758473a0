import { z } from 'zod';

/** Who may DM the bot. See `docs/access.md`. */
export type DmPolicy = 'pairing' | 'allowlist' | 'open' | 'disabled';
/** Which group messages get through. `allowall` is accepted as the legacy spelling of `open`. */
export type GroupPolicy = 'allowlist' | 'open' | 'disabled';

/** An allowlist entry as written in config: a string, or a number (read as its decimal string). */
export type AllowlistEntry = string | number;

/** A tool policy as written in config (`allow`, `alsoAllow`, `deny`). */
export interface ToolPolicyInput {
  /** Only these tools (names, `group:<name>`, globs, `*`). Empty or omitted: every tool. */
  readonly allow?: readonly string[];
  /** Added to `allow`; without `allow` it restricts nothing. */
  readonly alsoAllow?: readonly string[];
  /** Never these tools. Deny always wins. */
  readonly deny?: readonly string[];
}

/** One entry of a `groups` map (a specific group id, or `"*"` for every group). */
export interface GroupEntryInput {
  /** Reply only when mentioned. Default: the `"*"` entry's value, else `true`. */
  readonly requireMention?: boolean;
  /** `false` blocks this group even when it is listed (`route_disabled`). */
  readonly enabled?: boolean;
  /** Older spelling of `enabled` (Slack/Matrix style `allow: false`). */
  readonly allow?: boolean;
  /**
   * Senders allowed in this group; replaces `groupAllowFrom` here. An explicit empty list blocks
   * every sender (fail closed).
   */
  readonly allowFrom?: readonly AllowlistEntry[];
  /** Tools allowed/denied in this group. */
  readonly tools?: ToolPolicyInput;
  /** Per-sender tool policies (`id:`, `e164:`, `username:`, `name:`, `channel:<ch>:<id>`, `"*"`). */
  readonly toolsBySender?: Readonly<Record<string, ToolPolicyInput>>;
}

/** Which implicit mentions count as a mention (each defaults to `true`). */
export interface ImplicitMentionsInput {
  /** A reply to one of the bot's messages. */
  readonly replyToBot?: boolean;
  /** A quote of one of the bot's messages (supplied by adapters that distinguish quotes). */
  readonly quotedBot?: boolean;
  /** A message in a thread the bot has taken part in. */
  readonly threadParticipation?: boolean;
}

/** Access settings of one channel account (`channels.<ch>.accounts.<id>`). */
export interface AccountAccessInput {
  /** Who may DM the bot. Default `pairing`. */
  readonly dmPolicy?: DmPolicy;
  /** The DM allowlist (`"*"` allows everyone). Also the fallback sender list for groups. */
  readonly allowFrom?: readonly AllowlistEntry[];
  /** Which group messages get through. Default `allowlist`. */
  readonly groupPolicy?: GroupPolicy | 'allowall';
  /** Senders allowed in groups. Empty: falls back to `allowFrom` (never to pairing approvals). */
  readonly groupAllowFrom?: readonly AllowlistEntry[];
  /** Set `false` to stop an empty `groupAllowFrom` from falling back to `allowFrom`. Default `true`. */
  readonly groupAllowFromFallbackToAllowFrom?: boolean;
  /** Group allowlist and per-group settings, keyed by group id or `"*"`. */
  readonly groups?: Readonly<Record<string, GroupEntryInput>>;
  /** How many skipped group messages are kept as context. Default 50; 0 disables. */
  readonly historyLimit?: number;
  /** Which implicit mentions count. */
  readonly implicitMentions?: ImplicitMentionsInput;
  /** Let messages from other bots through. Default `false`. */
  readonly allowBots?: boolean;
  /** Match names and usernames in allowlists and `toolsBySender`. **Dangerous**; default `false`. */
  readonly dangerouslyAllowNameMatching?: boolean;
}

/** Access settings of one channel (`channels.<ch>`), with per-account overrides. */
export interface ChannelAccessInput extends AccountAccessInput {
  /** Per-account overrides: an account's setting wins over the channel's. */
  readonly accounts?: Readonly<Record<string, AccountAccessInput>>;
}

/** `channels.defaults`: fallbacks for every configured channel. */
export interface ChannelDefaultsInput {
  /** Default DM policy (`open` is not allowed here: it needs `"*"` in a channel's `allowFrom`). */
  readonly dmPolicy?: Exclude<DmPolicy, 'open'>;
  /** Default group policy (ignored for channels with no config section, which get `allowlist`). */
  readonly groupPolicy?: GroupPolicy | 'allowall';
  /** Default history limit. */
  readonly historyLimit?: number;
  /** Default implicit-mention switches. */
  readonly implicitMentions?: ImplicitMentionsInput;
}

/** `groupChat` settings (global under `messages`, or per agent). */
export interface GroupChatInput {
  /** Case-insensitive regular expressions that count as mentioning the bot. */
  readonly mentionPatterns?: readonly string[];
  /** How many skipped group messages are kept as context. */
  readonly historyLimit?: number;
}

/**
 * The parts of a Claw config the access rules read. Other top-level keys (`bindings`,
 * `session` …) and other agent keys are allowed and ignored here (the router validates them).
 */
export interface AccessConfigInput {
  /** Per-channel access settings, plus `defaults`. */
  readonly channels?: Readonly<Record<string, ChannelAccessInput | ChannelDefaultsInput>>;
  /** Message settings; `groupChat` is read here. */
  readonly messages?: { readonly groupChat?: GroupChatInput; readonly [key: string]: unknown };
  /** The global tool policy. */
  readonly tools?: ToolPolicyInput;
  /** Agents; `id`, `name`, `groupChat` and `tools` are read here. */
  readonly agents?: {
    readonly list?: readonly {
      readonly id: string;
      readonly name?: string;
      readonly default?: boolean;
      readonly groupChat?: GroupChatInput;
      readonly tools?: ToolPolicyInput;
      readonly [key: string]: unknown;
    }[];
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

const oneOf = (values: readonly string[]) => `must be one of ${values.map((v) => `"${v}"`).join(', ')}`;

const entry = z.union([z.string(), z.number()], {
  error: 'must be a string (or a number): a sender id, or "*" for everyone',
});
const entryList = z.array(entry, { error: 'must be an array of sender ids' });
const dmPolicy = z.enum(['pairing', 'allowlist', 'open', 'disabled'], {
  error: oneOf(['pairing', 'allowlist', 'open', 'disabled']),
});
const groupPolicy = z.enum(['allowlist', 'open', 'disabled', 'allowall'], {
  error: oneOf(['allowlist', 'open', 'disabled']),
});
const historyLimit = z.int({ error: 'must be a whole number (0 disables the history)' }).min(0, {
  error: 'must be 0 or more (0 disables the history)',
});
const toolList = z.array(z.string({ error: 'must be a tool name' }), {
  error: 'must be an array of tool names',
});
const toolPolicy = z.strictObject({
  allow: toolList.optional(),
  alsoAllow: toolList.optional(),
  deny: toolList.optional(),
});
const groupEntry = z.strictObject({
  requireMention: z.boolean().optional(),
  enabled: z.boolean().optional(),
  allow: z.boolean().optional(),
  allowFrom: entryList.optional(),
  tools: toolPolicy.optional(),
  toolsBySender: z.record(z.string(), toolPolicy).optional(),
});
const implicitMentions = z.strictObject({
  replyToBot: z.boolean().optional(),
  quotedBot: z.boolean().optional(),
  threadParticipation: z.boolean().optional(),
});
const accountShape = {
  dmPolicy: dmPolicy.optional(),
  allowFrom: entryList.optional(),
  groupPolicy: groupPolicy.optional(),
  groupAllowFrom: entryList.optional(),
  groupAllowFromFallbackToAllowFrom: z.boolean().optional(),
  groups: z.record(z.string(), groupEntry).optional(),
  historyLimit: historyLimit.optional(),
  implicitMentions: implicitMentions.optional(),
  allowBots: z.boolean().optional(),
  dangerouslyAllowNameMatching: z.boolean().optional(),
};
const account = z.strictObject(accountShape);
const channel = z.strictObject({ ...accountShape, accounts: z.record(z.string(), account).optional() });
const defaults = z.strictObject({
  dmPolicy: z
    .enum(['pairing', 'allowlist', 'disabled'], {
      error: `${oneOf(['pairing', 'allowlist', 'disabled'])} ("open" needs "*" in a channel's allowFrom, so set it per channel)`,
    })
    .optional(),
  groupPolicy: groupPolicy.optional(),
  historyLimit: historyLimit.optional(),
  implicitMentions: implicitMentions.optional(),
});
const groupChat = z.strictObject({
  mentionPatterns: z.array(z.string({ error: 'must be a regular expression (string)' })).optional(),
  historyLimit: historyLimit.optional(),
});
const agentEntry = z.looseObject({
  id: z.string({ error: 'must be the agent id (a string)' }),
  name: z.string().optional(),
  default: z.boolean().optional(),
  groupChat: groupChat.optional(),
  tools: toolPolicy.optional(),
});

/** The zod schema of the keys the access rules own. Other keys pass through untouched. */
export const accessConfigSchema = z.looseObject({
  channels: z.object({ defaults: defaults.optional() }).catchall(channel).optional(),
  messages: z.looseObject({ groupChat: groupChat.optional() }).optional(),
  tools: toolPolicy.optional(),
  agents: z.looseObject({ list: z.array(agentEntry).optional() }).optional(),
});

/** The parsed (validated) access config. @internal */
export type ParsedAccessConfig = z.output<typeof accessConfigSchema>;
/** A parsed channel section. @internal */
export type ParsedChannel = z.output<typeof channel>;
/** A parsed account section. @internal */
export type ParsedAccount = z.output<typeof account>;
/** A parsed group entry. @internal */
export type ParsedGroupEntry = z.output<typeof groupEntry>;
/** A parsed channels.defaults. @internal */
export type ParsedDefaults = z.output<typeof defaults>;
