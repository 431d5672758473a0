import {
  type IdentityHooks,
  type InboundMessage,
  InvalidMessageError,
  type MessageIssue,
} from '@claw/channel-kit';
import { ConfigError } from '../errors/index.js';
import { groupHistoryKey } from '../group-history/key.js';
import {
  type CompiledMentionPatterns,
  firstMatchingPattern,
  stripMentionPatterns,
} from '../mentions/compile.js';
import { normalizeMentionText } from '../mentions/text.js';
import { combinedPolicy, groupLayer } from '../tool-policy/resolve.js';
import {
  type EntryList,
  matchList,
  type NormalizedList,
  normalizeEntries,
  normalizeList,
  senderIdsOf,
} from './allowlist.js';
import {
  type ActivationCommand,
  type ControlCommand,
  detectControlCommand,
  parseActivationCommand,
} from './commands.js';
import {
  type AccessConfig,
  type ChannelAccess,
  type CompiledGroupEntry,
  type ImplicitMentionKind,
  resolveAccessConfig,
} from './config.js';
import { identityForChannel } from './identity.js';
import { type AccessReason, describeAccessReason, AccessReasons as R } from './reasons.js';
import type { AccessDecision, AccessFacts, AccessGate, AccessGateTrace } from './types.js';

type Outcome = AccessGateTrace['outcome'];
const NO_FACTS: AccessFacts = Object.freeze({});
const CHAT_TYPES = new Set(['direct', 'group', 'channel']);
const ACTIVATION_MODES = new Set(['mention', 'always']);
const IMPLICIT_KINDS = new Set(['reply_to_bot', 'quoted_bot', 'bot_thread_participant', 'native']);

/** Everything one decision works with. */
interface Ctx {
  readonly cfg: AccessConfig;
  readonly msg: InboundMessage;
  readonly facts: AccessFacts;
  readonly acc: ChannelAccess;
  readonly accountId: string;
  readonly hooks: IdentityHooks;
  readonly senderIds: readonly string[];
  /** The trace, flat: gate, outcome, reason, list, entry per step (one allocation per decision). */
  readonly steps: (string | undefined)[];
}

/**
 * Decide what happens to an inbound message: `dispatch`, `skip` (keep as group context),
 * `drop`, or `pairing` (send a pairing challenge, then drop). Pure and synchronous: the config
 * and the message decide, and everything stateful (pairing approvals, the session's
 * `/activation`, the bot's identity …) comes in as {@link AccessFacts}.
 *
 * Gate order (access.md §1, §9): own/bot messages → DM policy (DMs) or group policy, group
 * allowlist and group sender list (groups; never the pairing store) → control-command
 * authorisation → `/activation` (owners only) → mention gating (§4.6).
 *
 * @param config A compiled {@link AccessConfig}, or a raw config (compiled once, cached by identity).
 * @throws {ConfigError} when a raw config is invalid, or the facts are malformed.
 * @throws {InvalidMessageError} when the message lacks `channel`, `peer`, `sender.id` or `text`.
 */
export function decideAccess(
  config: AccessConfig | unknown,
  message: InboundMessage,
  facts: AccessFacts = NO_FACTS,
): AccessDecision {
  const cfg = resolveAccessConfig(config);
  checkMessage(message);
  if (facts !== NO_FACTS && !factsLookValid(facts)) checkFacts(facts);
  const accountId = message.accountId ?? 'default';
  const acc = cfg.channel(message.channel, accountId);
  const hooks =
    facts.identity ??
    identityForChannel(acc.channel, { dangerouslyAllowNameMatching: acc.dangerouslyAllowNameMatching });
  const ctx: Ctx = {
    cfg,
    msg: message,
    facts,
    acc,
    accountId,
    hooks,
    senderIds: senderIdsOf(message.sender, hooks),
    steps: [],
  };

  if (message.sender.isSelf === true) return finish(ctx, 'own_message', 'drop', R.OWN_MESSAGE);
  if (message.sender.isBot === true) {
    if (!acc.allowBots) return finish(ctx, 'bot_message', 'drop', R.BOT_MESSAGE);
    step(ctx, 'bot_message', 'pass', 'allowed', `channels.${acc.channel}.allowBots`);
  }
  return message.peer.kind === 'direct' ? decideDirect(ctx) : decideGroup(ctx);
}

// ---------------------------------------------------------------------------------------------
// DMs (§2)

function decideDirect(ctx: Ctx): AccessDecision {
  const { acc, facts, hooks } = ctx;
  const policy = acc.dmPolicy;
  if (policy === 'disabled') return finish(ctx, 'dm_policy', 'drop', R.DM_POLICY_DISABLED, acc.dmPolicyFrom);

  // WhatsApp same-phone rule: the owner writing to themself is always allowed.
  if (facts.bot?.e164 !== undefined && isBotSelf(ctx, facts.bot.e164)) {
    return dispatchDirect(ctx, R.DM_SELF_CHAT, 'facts.bot.e164', facts.bot.e164);
  }

  let entry = matchList(normalizeList(acc.allowFrom, hooks), ctx.senderIds);
  let list = acc.allowFrom.path;
  // The pairing store counts only under `pairing` (CURRENT): switching to allowlist/open must
  // not silently keep admitting old pairing contacts.
  if (entry === undefined && policy === 'pairing' && facts.pairingAllowFrom !== undefined) {
    entry = matchList(pairingList(facts.pairingAllowFrom, hooks), ctx.senderIds);
    list = 'pairing store';
  }
  if (entry !== undefined) {
    const reason = policy === 'open' && entry === '*' ? R.DM_POLICY_OPEN : R.DM_POLICY_ALLOWLISTED;
    return dispatchDirect(ctx, reason, list, entry);
  }
  if (policy === 'pairing') {
    if (facts.pairingStoreUnavailable === true) {
      return finish(ctx, 'dm_policy', 'drop', R.DM_POLICY_PAIRING_STORE_UNAVAILABLE, 'pairing store');
    }
    return finish(ctx, 'dm_policy', 'pairing', R.DM_POLICY_PAIRING_REQUIRED, acc.allowFrom.path);
  }
  return finish(ctx, 'dm_policy', 'drop', R.DM_POLICY_NOT_ALLOWLISTED, acc.allowFrom.path);
}

function dispatchDirect(ctx: Ctx, reason: AccessReason, list: string, entry: string): AccessDecision {
  step(ctx, 'dm_policy', 'pass', reason, list, entry);
  // A sender admitted to a DM is on the DM allowlist (or is the owner), which authorises
  // commands (§7.1: in DMs the effective lists, pairing store included, are used).
  const command = startsWithSlash(ctx.msg.text)
    ? detectControlCommand(ctx.msg.text.trim(), ctx.cfg.controlCommands, ctx.facts.bot?.username)
    : undefined;
  if (command !== undefined) step(ctx, 'command', 'pass', 'authorized', list, entry);
  const toolPolicy = combinedPolicy(ctx.cfg, ctx.cfg.agentTools(ctx.facts.agentId), undefined);
  return decision(ctx, 'dispatch', reason, {
    command,
    toolPolicy,
    wasMentioned: false,
    requireMention: false,
  });
}

// ---------------------------------------------------------------------------------------------
// Groups (§3, §4, §7.1, §9)

function decideGroup(ctx: Ctx): AccessDecision {
  const { acc, msg, hooks, facts, cfg } = ctx;
  const gp = acc.groupPolicy;
  if (gp === 'disabled')
    return finish(ctx, 'group_policy', 'drop', R.GROUP_POLICY_DISABLED, acc.groupPolicyFrom);
  step(ctx, 'group_policy', 'pass', gp, acc.groupPolicyFrom);

  // Route: the `groups` map (exact id, then the parent conversation, then "*").
  let entry = acc.groups.get(msg.peer.id);
  if (entry === undefined && msg.parentPeer !== undefined) entry = acc.groups.get(msg.parentPeer.id);
  const wildcard = acc.groupsWildcard;
  const routeEntry = entry ?? wildcard;
  if (routeEntry !== undefined && !routeEntry.enabled) {
    return finish(ctx, 'group_route', 'drop', R.ROUTE_DISABLED, routeEntry.path, routeEntry.key);
  }
  const override = entry?.allowFrom ?? wildcard?.allowFrom;
  const senderList = override ?? effectiveGroupAllowFrom(acc);
  const senders = normalizeList(senderList, hooks);
  const allowlistEnabled = gp === 'allowlist' || acc.hasGroups;
  if (allowlistEnabled && routeEntry === undefined) {
    // No group entry matched. Under `allowlist` with no groups at all, a sender list does the
    // filtering instead (`hasGroupAllowFrom`); otherwise the group is not allowlisted.
    if (acc.hasGroups) return finish(ctx, 'group_route', 'drop', R.ROUTE_NOT_ALLOWLISTED, groupsPath(acc));
    if (senders.size === 0) return finish(ctx, 'group_route', 'drop', R.EMPTY_ALLOWLIST, senderList.path);
    step(ctx, 'group_route', 'pass', 'sender_list_applies', senderList.path);
  } else if (routeEntry !== undefined) {
    step(ctx, 'group_route', 'pass', 'listed', routeEntry.path, routeEntry.key);
  } else {
    step(ctx, 'group_route', 'pass', 'open', acc.groupPolicyFrom);
  }

  // Sender list: a group's own `allowFrom` always applies (and fails closed when empty); the
  // channel's `groupAllowFrom` (falling back to `allowFrom`) applies under `allowlist`, except
  // in an explicitly listed group with no sender list. Never the pairing store.
  if (override !== undefined) {
    if (override.entries.length === 0)
      return finish(ctx, 'group_sender', 'drop', R.ROUTE_SENDER_EMPTY, override.path);
    const blocked = checkSender(ctx, senders, override);
    if (blocked !== undefined) return blocked;
  } else if (gp === 'allowlist') {
    if (entry !== undefined && senders.size === 0) {
      step(ctx, 'group_sender', 'pass', 'listed_group_without_sender_list', entry.path, entry.key);
    } else {
      if (senders.size === 0) return finish(ctx, 'group_sender', 'drop', R.EMPTY_ALLOWLIST, senderList.path);
      const blocked = checkSender(ctx, senders, senderList);
      if (blocked !== undefined) return blocked;
    }
  } else {
    step(ctx, 'group_sender', 'pass', 'open', acc.groupPolicyFrom);
  }

  // Mention facts are needed both for the command bypass and for the mention gate.
  const patterns = cfg.mentionPatterns(facts.agentId);

  // Command gate: configured lists only (owner list = allowFrom, group list = sender list).
  const command = msg.text.includes('/')
    ? detectControlCommand(commandText(ctx, patterns), cfg.controlCommands, facts.bot?.username)
    : undefined;
  let commandAuthorized = false;
  if (command !== undefined) {
    const auth = authorizeGroupCommand(ctx, senders, senderList);
    if (auth === undefined) {
      return finish(
        ctx,
        'command',
        'drop',
        R.CONTROL_COMMAND_UNAUTHORIZED,
        `${acc.allowFrom.path}, ${senderList.path}`,
      );
    }
    commandAuthorized = true;
    step(ctx, 'command', 'pass', 'authorized', auth.list, auth.entry);
  }

  // `/activation` is for owners; anyone else's is kept as context only.
  const activationCommand = parseActivationCommand(command);
  if (activationCommand !== undefined) {
    const owner = ownerMatch(ctx);
    if (owner === undefined) {
      const state = { command, commandAuthorized, activationCommand, entry, wildcard };
      return groupEnd(ctx, 'activation', 'skip', R.ACTIVATION_NOT_OWNER, state, false, true);
    }
    step(ctx, 'activation', 'pass', 'owner', owner.list, owner.entry);
  }

  return mentionGate(ctx, patterns, { command, commandAuthorized, activationCommand, entry, wildcard });
}

function effectiveGroupAllowFrom(acc: ChannelAccess): EntryList {
  if (acc.groupAllowFrom.entries.length > 0 || !acc.groupAllowFromFallback) return acc.groupAllowFrom;
  return acc.allowFrom.entries.length > 0 ? acc.allowFrom : acc.groupAllowFrom;
}

function groupsPath(acc: ChannelAccess): string {
  const any = acc.groupsWildcard ?? acc.groups.values().next().value;
  return any === undefined ? `channels.${acc.channel}.groups` : any.path.slice(0, any.path.lastIndexOf('.'));
}

function checkSender(ctx: Ctx, senders: NormalizedList, list: EntryList): AccessDecision | undefined {
  if (!senders.wildcard && ctx.senderIds.length === 0) {
    return finish(ctx, 'group_sender', 'drop', R.NO_SENDER, list.path);
  }
  const hit = matchList(senders, ctx.senderIds);
  if (hit === undefined) return finish(ctx, 'group_sender', 'drop', R.NOT_ALLOWLISTED, list.path);
  step(ctx, 'group_sender', 'pass', 'allowlisted', list.path, hit);
  return undefined;
}

function authorizeGroupCommand(
  ctx: Ctx,
  senders: NormalizedList,
  senderList: EntryList,
): { list: string; entry: string } | undefined {
  const owner = explicitOwner(ctx);
  if (owner !== undefined) return owner;
  // The bot's own number writing in a group (WhatsApp self-chat setups) is its owner.
  const selfE164 = ctx.facts.bot?.e164;
  if (selfE164 !== undefined && isBotSelf(ctx, selfE164)) return { list: 'facts.bot.e164', entry: selfE164 };
  const dmList = normalizeList(ctx.acc.allowFrom, ctx.hooks);
  if (dmList.size > 0) {
    const hit = matchList(dmList, ctx.senderIds);
    if (hit !== undefined) return { list: ctx.acc.allowFrom.path, entry: hit };
  }
  if (senders.size > 0) {
    const hit = matchList(senders, ctx.senderIds);
    if (hit !== undefined) return { list: senderList.path, entry: hit };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Owners

/**
 * Owners named in `facts.ownerIds` (this channel's prefix stripped, `"*"` ignored). Not cached:
 * it only runs for control commands, and the caller may reuse and change the array.
 */
function explicitOwner(ctx: Ctx): { list: string; entry: string } | undefined {
  const ids = ctx.facts.ownerIds;
  if (ids === undefined || ids.length === 0) return undefined;
  const prefix = `${ctx.acc.channel}:`;
  const entries: string[] = [];
  for (const raw of ids) {
    const e = String(raw).trim();
    if (e.length === 0 || e === '*') continue;
    entries.push(e.toLowerCase().startsWith(prefix) ? e.slice(prefix.length).trim() : e);
  }
  const hit = matchList(normalizeEntries(entries, ctx.hooks), ctx.senderIds);
  return hit === undefined ? undefined : { list: 'facts.ownerIds', entry: hit };
}

/** Owner for `/activation` (§4.2): `facts.ownerIds`, else `allowFrom` without `"*"`, else the bot itself. */
function ownerMatch(ctx: Ctx): { list: string; entry: string } | undefined {
  if (ctx.facts.ownerIds?.some((e) => String(e).trim() !== '*')) {
    return explicitOwner(ctx);
  }
  const dm = normalizeList(ctx.acc.allowFrom, ctx.hooks);
  if (dm.ids.size > 0) {
    for (const id of ctx.senderIds) {
      const hit = dm.ids.get(id);
      if (hit !== undefined) return { list: ctx.acc.allowFrom.path, entry: hit };
    }
    return undefined;
  }
  const bot = ctx.facts.bot;
  for (const self of [bot?.e164, bot?.id]) {
    if (self !== undefined && isBotSelf(ctx, self)) return { list: 'facts.bot', entry: self };
  }
  return undefined;
}

/** True when the sender is the bot's own account (the same phone / the same user id). */
function isBotSelf(ctx: Ctx, botId: string): boolean {
  let normalized: string | undefined;
  try {
    normalized = ctx.hooks.normalizeEntry(botId);
  } catch {
    normalized = undefined;
  }
  return normalized !== undefined && normalized.length > 0 && ctx.senderIds.includes(normalized);
}

// ---------------------------------------------------------------------------------------------
// Mentions (§4)

interface GroupState {
  readonly command: ControlCommand | undefined;
  readonly commandAuthorized: boolean;
  readonly activationCommand: ActivationCommand | undefined;
  readonly entry: CompiledGroupEntry | undefined;
  readonly wildcard: CompiledGroupEntry | undefined;
}

function mentionGate(ctx: Ctx, patterns: CompiledMentionPatterns, state: GroupState): AccessDecision {
  const { msg, facts, acc } = ctx;
  // §4.1 / §4.2: the group's entry, then "*", then true; the session's /activation overrides.
  const entryRule = state.entry?.requireMention !== undefined ? state.entry : state.wildcard;
  const configured = entryRule?.requireMention;
  const requireMention =
    facts.activation !== undefined ? facts.activation !== 'always' : configured !== false;

  const bot = facts.bot;
  const users = msg.mentions?.users;
  const nativeSelf =
    msg.mentions?.self === true || (bot?.id !== undefined && users?.includes(bot.id) === true);
  const hasAnyMention = nativeSelf || (users !== undefined && users.length > 0);
  let wasMentioned = nativeSelf;
  let viaList = 'message.mentions';
  let viaEntry: string | undefined;
  // Someone else explicitly @-mentioned (and not the bot): no text fallback (access.md §11.6, K1),
  // so "@Alice ask claw …" does not trigger the bot.
  if (!nativeSelf && !hasAnyMention && msg.text.length > 0) {
    const text = normalizeMentionText(msg.text);
    if (bot?.username !== undefined && mentionsUsername(text, bot.username)) {
      wasMentioned = true;
      viaList = 'facts.bot.username';
      viaEntry = bot.username;
    } else {
      const hit = firstMatchingPattern(patterns, text);
      if (hit !== -1) {
        wasMentioned = true;
        viaList = patterns.path || `mention patterns (${patterns.from})`;
        viaEntry = patterns.sources[hit];
      } else if (bot?.e164 !== undefined && mentionsNumber(text, bot.e164)) {
        wasMentioned = true;
        viaList = 'facts.bot.e164';
        viaEntry = bot.e164;
      }
    }
  }

  const implicit = wasMentioned ? undefined : implicitMention(ctx, acc.implicitMentionKinds);
  const canDetectMention =
    facts.nativeMentions !== false || patterns.test.length > 0 || bot?.username !== undefined;
  const bypass =
    requireMention &&
    !wasMentioned &&
    !hasAnyMention &&
    state.commandAuthorized &&
    state.command !== undefined;
  const effective = wasMentioned || implicit !== undefined || bypass;

  let action: 'dispatch' | 'skip' = 'dispatch';
  let reason: AccessReason;
  let list: string | undefined;
  let entry: string | undefined;
  if (!requireMention) {
    reason = R.MENTION_NOT_REQUIRED;
    list = facts.activation !== undefined ? 'facts.activation' : (entryRule?.requireMentionPath ?? 'default');
  } else if (!canDetectMention) {
    reason = R.MENTION_UNDETECTABLE;
    list = 'facts.nativeMentions';
  } else if (wasMentioned) {
    reason = R.MENTIONED;
    list = viaList;
    entry = viaEntry;
  } else if (implicit !== undefined) {
    reason = R.IMPLICIT_MENTION;
    list = 'implicit mention';
    entry = implicit;
  } else if (bypass) {
    reason = R.COMMAND_MENTION_BYPASS;
    list = 'control command';
    entry = state.command!.name;
  } else {
    action = 'skip';
    reason = R.NO_MENTION;
    list = facts.activation !== undefined ? 'facts.activation' : (entryRule?.requireMentionPath ?? 'default');
  }
  return groupEnd(ctx, 'mention', action, reason, state, effective, requireMention, list, entry);
}

/** The first allowed implicit mention kind (§4.5), or `undefined`. Allocates nothing in the common case. */
function implicitMention(ctx: Ctx, allowed: readonly ImplicitMentionKind[]): ImplicitMentionKind | undefined {
  const { msg, facts } = ctx;
  const reply = msg.replyTo;
  if (reply !== undefined && allowed.includes('reply_to_bot')) {
    const toBot = reply.fromSelf === true || (facts.bot?.id !== undefined && reply.senderId === facts.bot.id);
    // Not when the bot account is also the human writing (self-chat, L2), and not for a forum
    // topic's "reply" to its own creation message.
    const selfChat =
      (facts.bot?.e164 !== undefined && isBotSelf(ctx, facts.bot.e164)) ||
      (facts.bot?.id !== undefined && msg.sender.id === facts.bot.id);
    const topicRoot = msg.threadId !== undefined && reply.messageId === msg.threadId;
    if (toBot && !selfChat && !topicRoot) return 'reply_to_bot';
  }
  if (facts.botThreadParticipant === true && allowed.includes('bot_thread_participant')) {
    return 'bot_thread_participant';
  }
  if (facts.implicitMentions !== undefined) {
    for (const k of facts.implicitMentions) if (allowed.includes(k)) return k;
  }
  return undefined;
}

function mentionsUsername(text: string, username: string): boolean {
  const handle = username.charCodeAt(0) === 64 /* '@' */ ? username.slice(1) : username;
  if (handle.length === 0) return false;
  let at = text.indexOf('@');
  while (at !== -1) {
    const end = at + 1 + handle.length;
    const before = at === 0 ? Number.NaN : text.charCodeAt(at - 1);
    const after = text.charCodeAt(end);
    // A whole handle: not glued to a word before (`me@claw.com`, `/cmd@claw`) or after (`@claw2`).
    if (
      (Number.isNaN(before) || !isWordChar(before)) &&
      (Number.isNaN(after) || !isWordChar(after)) &&
      text.slice(at + 1, end).toLowerCase() === handle.toLowerCase()
    ) {
      return true;
    }
    at = text.indexOf('@', at + 1);
  }
  return false;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

// The bot's number rarely changes between calls: remember its digits.
let lastE164 = '';
let lastDigits = '';

function mentionsNumber(text: string, e164: string): boolean {
  if (e164 !== lastE164) {
    lastDigits = e164.replace(/\D/g, '');
    lastE164 = e164;
  }
  const digits = lastDigits;
  if (digits.length < 5) return false;
  if (text.includes(digits)) return true;
  // Only strip separators when the text has enough digits to hold the number at all.
  let count = 0;
  for (let i = 0; i < text.length && count < digits.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) count++;
  }
  return count >= digits.length && text.replace(/[\s\-().]/g, '').includes(digits);
}

/** The text a command is read from: the message, with the bot's mentions removed. */
function commandText(ctx: Ctx, patterns: CompiledMentionPatterns): string {
  const text = ctx.msg.text.trim();
  if (text.length === 0 || text.charCodeAt(0) === 47 /* '/' */) return text;
  let out = text;
  const bot = ctx.facts.bot;
  if (bot?.id !== undefined) out = out.split(`<@${bot.id}>`).join(' ').split(`<@!${bot.id}>`).join(' ');
  if (bot?.username !== undefined) {
    const handle = `@${bot.username.replace(/^@/, '')}`;
    out = out.replace(
      new RegExp(`${handle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_])`, 'gi'),
      ' ',
    );
  }
  return stripMentionPatterns(patterns, out);
}

// ---------------------------------------------------------------------------------------------
// Results

function groupEnd(
  ctx: Ctx,
  gate: AccessGate,
  action: 'dispatch' | 'skip',
  reason: AccessReason,
  state: GroupState,
  wasMentioned: boolean,
  requireMention: boolean,
  list?: string,
  entry?: string,
): AccessDecision {
  step(ctx, gate, action === 'skip' ? 'skip' : 'decide', reason, list, entry);
  const { cfg, acc, msg, facts } = ctx;
  const toolPolicy =
    action === 'dispatch'
      ? combinedPolicy(
          cfg,
          cfg.agentTools(facts.agentId),
          groupLayer(state.entry, state.wildcard, acc.channel, msg.sender, acc.dangerouslyAllowNameMatching),
        )
      : undefined;
  return decision(ctx, action, reason, {
    command: state.command,
    activationCommand: action === 'dispatch' ? state.activationCommand : undefined,
    toolPolicy,
    wasMentioned,
    requireMention,
    historyKey: groupHistoryKey({ ...msg, accountId: ctx.accountId }),
    historyLimit: cfg.historyLimitFor(acc, facts.agentId),
  });
}

function step(ctx: Ctx, gate: AccessGate, outcome: Outcome, reason: string, list?: string, entry?: string) {
  ctx.steps.push(gate, outcome, reason, list, entry);
}

function finish(
  ctx: Ctx,
  gate: AccessGate,
  action: 'drop' | 'pairing',
  reason: AccessReason,
  list?: string,
  entry?: string,
): AccessDecision {
  step(ctx, gate, 'block', reason, list, entry);
  return decision(ctx, action, reason, { wasMentioned: false, requireMention: false });
}

interface DecisionFields {
  readonly command?: ControlCommand | undefined;
  readonly activationCommand?: ActivationCommand | undefined;
  readonly toolPolicy?: AccessDecision['toolPolicy'] | undefined;
  readonly wasMentioned: boolean;
  readonly requireMention: boolean;
  readonly historyKey?: string;
  readonly historyLimit?: number;
}

function decision(
  ctx: Ctx,
  action: AccessDecision['action'],
  reason: AccessReason,
  f: DecisionFields,
): AccessDecision {
  const steps = ctx.steps;
  const d: { -readonly [K in keyof AccessDecision]: AccessDecision[K] } = {
    action,
    reason,
    chatType: ctx.msg.peer.kind,
    wasMentioned: f.wasMentioned,
    requireMention: f.requireMention,
    explain: explainer(steps),
  };
  if (f.command !== undefined) d.command = f.command;
  if (f.activationCommand !== undefined) d.activationCommand = f.activationCommand;
  if (f.toolPolicy !== undefined) d.toolPolicy = f.toolPolicy;
  if (f.historyKey !== undefined) d.historyKey = f.historyKey;
  if (f.historyLimit !== undefined) d.historyLimit = f.historyLimit;
  return d;
}

const GATE_NAMES: Readonly<Record<AccessGate, string>> = {
  own_message: 'own message',
  bot_message: 'bot sender',
  dm_policy: 'DM policy',
  group_policy: 'group policy',
  group_route: 'group allowlist',
  group_sender: 'group sender list',
  command: 'command authorisation',
  activation: '/activation',
  mention: 'mention gating',
};

function explainSteps(flat: readonly (string | undefined)[]): AccessGateTrace[] {
  const out: AccessGateTrace[] = [];
  for (let i = 0; i < flat.length; i += 5) {
    const gate = flat[i] as AccessGate;
    const outcome = flat[i + 1] as Outcome;
    const reason = flat[i + 2]!;
    const list = flat[i + 3];
    const entry = flat[i + 4];
    const what =
      reason in REASON_SET ? describeAccessReason(reason as AccessReason) : reason.replace(/_/g, ' ');
    let detail = `${GATE_NAMES[gate]}: ${what}`;
    if (list !== undefined)
      detail += ` (${list}${entry !== undefined ? `, matched ${JSON.stringify(entry)}` : ''})`;
    const t: { -readonly [K in keyof AccessGateTrace]: AccessGateTrace[K] } = {
      gate,
      outcome,
      reason,
      detail,
    };
    if (list !== undefined) t.list = list;
    if (entry !== undefined) t.entry = entry;
    out.push(t);
  }
  return out;
}

/** The `explain` function of a decision (a factory, so the closure is not re-named on every call). */
function explainer(steps: readonly (string | undefined)[]): () => readonly AccessGateTrace[] {
  return () => explainSteps(steps);
}

/** True when the first non-blank character is `/` (a command is possible), without allocating. */
function startsWithSlash(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 47) return true;
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return false;
  }
  return false;
}

const REASON_SET: Readonly<Record<string, true>> = Object.fromEntries(Object.values(R).map((r) => [r, true]));

function pairingList(entries: readonly string[], hooks: IdentityHooks): NormalizedList {
  // "*" is never a pairing approval: it would open DMs to everyone.
  return normalizeEntries(
    entries.filter((e) => typeof e === 'string' && e.trim() !== '*'),
    hooks,
  );
}

// ---------------------------------------------------------------------------------------------
// Input checks (cheap: this is the hot path)

function checkMessage(m: InboundMessage): void {
  if (
    typeof m === 'object' &&
    m !== null &&
    typeof m.channel === 'string' &&
    m.channel.length > 0 &&
    typeof m.peer === 'object' &&
    m.peer !== null &&
    (m.peer.kind === 'group' || m.peer.kind === 'direct' || m.peer.kind === 'channel') &&
    typeof m.peer.id === 'string' &&
    typeof m.sender === 'object' &&
    m.sender !== null &&
    typeof m.sender.id === 'string' &&
    typeof m.text === 'string'
  ) {
    return;
  }
  const issues: MessageIssue[] = [];
  if (typeof m !== 'object' || m === null) {
    issues.push({ path: '', message: 'must be an InboundMessage object' });
  } else {
    if (typeof m.channel !== 'string' || m.channel.length === 0) {
      issues.push({ path: 'channel', message: 'must be a non-empty channel id' });
    }
    if (typeof m.peer !== 'object' || m.peer === null)
      issues.push({ path: 'peer', message: 'must be { kind, id }' });
    else {
      if (!CHAT_TYPES.has(m.peer.kind))
        issues.push({ path: 'peer.kind', message: 'must be "direct", "group" or "channel"' });
      if (typeof m.peer.id !== 'string') issues.push({ path: 'peer.id', message: 'must be a string' });
    }
    if (typeof m.sender !== 'object' || m.sender === null)
      issues.push({ path: 'sender', message: 'must be { id, … }' });
    else if (typeof m.sender.id !== 'string') issues.push({ path: 'sender.id', message: 'must be a string' });
    if (typeof m.text !== 'string') issues.push({ path: 'text', message: 'must be a string (may be empty)' });
  }
  throw new InvalidMessageError(issues);
}

/** Allocation-free check of the common case; `checkFacts` builds the error when it fails. */
function factsLookValid(f: AccessFacts): boolean {
  return (
    typeof f === 'object' &&
    f !== null &&
    (f.identity === undefined ||
      (typeof f.identity.normalizeEntry === 'function' && typeof f.identity.senderIds === 'function')) &&
    (f.activation === undefined || f.activation === 'mention' || f.activation === 'always') &&
    (f.pairingAllowFrom === undefined || Array.isArray(f.pairingAllowFrom)) &&
    (f.ownerIds === undefined || Array.isArray(f.ownerIds)) &&
    (f.implicitMentions === undefined ||
      (Array.isArray(f.implicitMentions) && f.implicitMentions.every((k) => IMPLICIT_KINDS.has(k))))
  );
}

function checkFacts(f: AccessFacts): void {
  const issues: { path: string; message: string }[] = [];
  if (typeof f !== 'object' || f === null) {
    issues.push({ path: '', message: 'must be an object (or omitted)' });
  } else {
    if (
      f.identity !== undefined &&
      (typeof f.identity?.normalizeEntry !== 'function' || typeof f.identity?.senderIds !== 'function')
    ) {
      issues.push({ path: 'identity', message: 'must provide normalizeEntry(entry) and senderIds(sender)' });
    }
    if (f.activation !== undefined && !ACTIVATION_MODES.has(f.activation)) {
      issues.push({ path: 'activation', message: 'must be "mention" or "always"' });
    }
    for (const key of ['pairingAllowFrom', 'ownerIds', 'implicitMentions'] as const) {
      const v = f[key];
      if (v !== undefined && !Array.isArray(v))
        issues.push({ path: key, message: 'must be an array of strings' });
    }
    if (Array.isArray(f.implicitMentions) && f.implicitMentions.some((k) => !IMPLICIT_KINDS.has(k))) {
      issues.push({
        path: 'implicitMentions',
        message: `kinds must be among ${[...IMPLICIT_KINDS].join(', ')}`,
      });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues, { subject: 'access facts' });
}
