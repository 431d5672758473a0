/**
 * Every reason code a decision can carry. Stable strings: match on them in code and logs
 * (`docs/access.md` has the table).
 */
export const AccessReasons = Object.freeze({
  /** The message is the bot's own (an echo). `drop`. */
  OWN_MESSAGE: 'own_message',
  /** The sender is another bot and the channel does not set `allowBots`. `drop`. */
  BOT_MESSAGE: 'bot_message',
  /** `dmPolicy: "disabled"`. `drop`. */
  DM_POLICY_DISABLED: 'dm_policy_disabled',
  /** `dmPolicy: "open"` (with `"*"`). `dispatch`. */
  DM_POLICY_OPEN: 'dm_policy_open',
  /** The sender is on the DM allowlist (config, or a pairing approval under `pairing`). `dispatch`. */
  DM_POLICY_ALLOWLISTED: 'dm_policy_allowlisted',
  /** Not on the DM allowlist under `allowlist` (or `open` without `"*"`). `drop`, no reply. */
  DM_POLICY_NOT_ALLOWLISTED: 'dm_policy_not_allowlisted',
  /** Unknown sender under `pairing`: send a pairing challenge, then drop. `pairing`. */
  DM_POLICY_PAIRING_REQUIRED: 'dm_policy_pairing_required',
  /** Under `pairing`, the pairing store could not be read: blocked, no challenge. `drop`. */
  DM_POLICY_PAIRING_STORE_UNAVAILABLE: 'dm_policy_pairing_store_unavailable',
  /** A DM from the bot's own phone number (WhatsApp self-chat). `dispatch`. */
  DM_SELF_CHAT: 'dm_self_chat',
  /** `groupPolicy: "disabled"`. `drop`. */
  GROUP_POLICY_DISABLED: 'group_policy_disabled',
  /** The group's entry says `enabled: false`. `drop`. */
  ROUTE_DISABLED: 'route_disabled',
  /** The `groups` map lists groups, and this one is not among them (and there is no `"*"`). `drop`. */
  ROUTE_NOT_ALLOWLISTED: 'route_not_allowlisted',
  /** The group's own `allowFrom` is an explicit empty list: nobody may talk there. `drop`. */
  ROUTE_SENDER_EMPTY: 'route_sender_empty',
  /** `groupPolicy: "allowlist"` with nothing to allow (no listed group, no sender list). `drop`. */
  EMPTY_ALLOWLIST: 'empty_allowlist',
  /** A sender list applies but the sender has no usable identity. `drop`. */
  NO_SENDER: 'no_sender',
  /** The sender is not on the group sender list. `drop`. */
  NOT_ALLOWLISTED: 'not_allowlisted',
  /** A control command from a sender who may not run commands. `drop`. */
  CONTROL_COMMAND_UNAUTHORIZED: 'control_command_unauthorized',
  /** `/activation` from someone who is not an owner: kept as context only. `skip`. */
  ACTIVATION_NOT_OWNER: 'activation_not_owner',
  /** A mention is required and there was none: kept as group context. `skip`. */
  NO_MENTION: 'no_mention',
  /** The bot was mentioned (natively, by @username, by a pattern, or by its number). `dispatch`. */
  MENTIONED: 'mentioned',
  /** An implicit mention (reply to the bot, quote, bot thread). `dispatch`. */
  IMPLICIT_MENTION: 'implicit_mention',
  /** An authorised control command, mentioning no one, bypasses mention gating. `dispatch`. */
  COMMAND_MENTION_BYPASS: 'command_mention_bypass',
  /** No mention required here (`requireMention: false` or `/activation always`). `dispatch`. */
  MENTION_NOT_REQUIRED: 'mention_not_required',
  /** A mention is required but cannot be detected on this channel (no native mentions, no patterns). `dispatch`. */
  MENTION_UNDETECTABLE: 'mention_undetectable',
});

/** A reason code (see {@link AccessReasons}). */
export type AccessReason = (typeof AccessReasons)[keyof typeof AccessReasons];

const descriptions: Readonly<Record<AccessReason, string>> = Object.freeze({
  own_message: "the message is the bot's own",
  bot_message: 'the sender is a bot and allowBots is not set',
  dm_policy_disabled: 'DMs are disabled (dmPolicy "disabled")',
  dm_policy_open: 'DMs are open to everyone (dmPolicy "open" with "*")',
  dm_policy_allowlisted: 'the sender is on the DM allowlist',
  dm_policy_not_allowlisted: 'the sender is not on the DM allowlist',
  dm_policy_pairing_required: 'unknown sender under dmPolicy "pairing": a pairing code is sent',
  dm_policy_pairing_store_unavailable: 'the pairing store could not be read, so the sender is blocked',
  dm_self_chat: "the DM comes from the bot's own number",
  group_policy_disabled: 'group messages are disabled (groupPolicy "disabled")',
  route_disabled: 'this group is disabled (enabled: false)',
  route_not_allowlisted: 'this group is not in the groups allowlist',
  route_sender_empty: "this group's allowFrom is empty, so nobody may talk here",
  empty_allowlist: 'groupPolicy "allowlist" but nothing is allowlisted (no group entry, no sender list)',
  no_sender: 'the sender has no usable id to check against the sender list',
  not_allowlisted: 'the sender is not on the group sender list',
  control_command_unauthorized: 'the sender may not run control commands',
  activation_not_owner: 'only an owner may change /activation',
  no_mention: 'a mention is required and the bot was not mentioned',
  mentioned: 'the bot was mentioned',
  implicit_mention: 'the message implicitly mentions the bot (reply, quote or bot thread)',
  command_mention_bypass: 'an authorised control command bypasses mention gating',
  mention_not_required: 'no mention is required in this group',
  mention_undetectable: 'mentions cannot be detected on this channel, so no mention is required',
});

/** A plain-words description of a reason code. */
export function describeAccessReason(reason: AccessReason): string {
  return descriptions[reason] ?? reason;
}
