export type { EntryList, NormalizedList } from './allowlist.js';
export {
  type ActivationCommand,
  type ActivationMode,
  type ControlCommand,
  DEFAULT_CONTROL_COMMANDS,
  detectControlCommand,
  parseActivationCommand,
} from './commands.js';
export {
  type AccessConfig,
  type AccessConfigOptions,
  type ChannelAccess,
  type CompiledGroupEntry,
  createAccessConfig,
  DEFAULT_HISTORY_LIMIT,
  type ImplicitMentionKind,
  isAccessConfig,
  resolveAccessConfig,
} from './config.js';
export { decideAccess } from './decide.js';
export { identityForChannel } from './identity.js';
export { type AccessReason, AccessReasons, describeAccessReason } from './reasons.js';
export type {
  AccessConfigInput,
  AccountAccessInput,
  AllowlistEntry,
  ChannelAccessInput,
  ChannelDefaultsInput,
  DmPolicy,
  GroupChatInput,
  GroupEntryInput,
  GroupPolicy,
  ImplicitMentionsInput,
  ToolPolicyInput,
} from './schema.js';
export type {
  AccessAction,
  AccessDecision,
  AccessFacts,
  AccessGate,
  AccessGateTrace,
  BotIdentity,
} from './types.js';
