import { normalizeChatType } from './chat-type.js';
import type { ChatType, InboundMessage, Mentions, Peer, ReplyReference, Sender } from './types.js';

// A hand-written parser for well-formed envelopes: every message goes through `parseInbound`,
// and zod alone costs a few µs and a few dozen short-lived objects per message. It accepts a
// subset of what `inboundMessageSchema` accepts and returns exactly what the schema would (a
// property test holds it to both); whenever it is unsure it says `undefined` and the schema runs,
// which also words every error. Keep it in step with `schema.ts`.

type Fields = Record<string, unknown>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const MESSAGE_KEYS: ReadonlySet<string> = new Set([
  'channel',
  'accountId',
  'messageId',
  'peer',
  'parentPeer',
  'threadId',
  'guildId',
  'teamId',
  'memberRoleIds',
  'sender',
  'text',
  'mentions',
  'replyTo',
  'timestamp',
  'raw',
]);
const SENDER_KEYS: ReadonlySet<string> = new Set(['id', 'username', 'name', 'e164', 'isBot', 'isSelf']);
const MENTIONS_KEYS: ReadonlySet<string> = new Set(['self', 'users']);
const REPLY_KEYS: ReadonlySet<string> = new Set(['messageId', 'senderId', 'fromSelf', 'text']);

/** Sentinel for "not well-formed": the caller falls back to the schema. */
const NO: unique symbol = Symbol('not well-formed');
type No = typeof NO;

/**
 * A plain object (literal or `Object.create(null)`) whose enumerable keys, inherited ones
 * included (the schema sees those too), are all in `allowed`.
 */
function plainWith(value: unknown, allowed: ReadonlySet<string>): value is Fields {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key in value) if (!allowed.has(key)) return false;
  return true;
}

/** A platform id as the schema makes it: a trimmed, non-empty string. */
function id(value: unknown): string | No {
  let text: string;
  if (typeof value === 'string') text = value.trim();
  else if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) return NO;
    text = String(value).trim();
  } else if (typeof value === 'bigint') text = String(value);
  else return NO;
  return text === '' ? NO : text;
}

function optionalId(value: unknown): string | undefined | No {
  return value === undefined ? undefined : id(value);
}

function optionalString(value: unknown): string | undefined | No {
  return value === undefined || typeof value === 'string' ? value : NO;
}

function optionalBoolean(value: unknown): boolean | undefined | No {
  return value === undefined || typeof value === 'boolean' ? value : NO;
}

/** The canonical chat type of a spelling the schema accepts (only the listed aliases). */
function chatType(value: unknown): ChatType | No {
  return normalizeChatType(value) ?? NO;
}

function peer(value: unknown): Peer | No {
  if (typeof value !== 'object' || value === null) return NO;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return NO;
  for (const key in value) if (key !== 'kind' && key !== 'id') return NO;
  const fields = value as Fields;
  const kind = chatType(fields['kind']);
  if (kind === NO) return NO;
  const peerId = id(fields['id']);
  if (peerId === NO) return NO;
  return { kind, id: peerId };
}

function idList(value: unknown): string[] | No {
  if (!Array.isArray(value)) return NO;
  const list: string[] = new Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const item = id(value[i]);
    if (item === NO) return NO;
    list[i] = item;
  }
  return list;
}

function sender(value: unknown): Sender | No {
  if (!plainWith(value, SENDER_KEYS)) return NO;
  const senderId = id(value['id']);
  if (senderId === NO) return NO;
  const out: Mutable<Sender> = { id: senderId };
  const username = optionalString(value['username']);
  const name = optionalString(value['name']);
  const e164 = optionalString(value['e164']);
  const isBot = optionalBoolean(value['isBot']);
  const isSelf = optionalBoolean(value['isSelf']);
  if (username === NO || name === NO || e164 === NO || isBot === NO || isSelf === NO) return NO;
  if (username !== undefined) out.username = username;
  if (name !== undefined) out.name = name;
  if (e164 !== undefined) out.e164 = e164;
  if (isBot !== undefined) out.isBot = isBot;
  if (isSelf !== undefined) out.isSelf = isSelf;
  return out;
}

function mentions(value: unknown): Mentions | No {
  if (!plainWith(value, MENTIONS_KEYS)) return NO;
  const out: Mutable<Mentions> = {};
  const self = optionalBoolean(value['self']);
  if (self === NO) return NO;
  if (self !== undefined) out.self = self;
  if (value['users'] !== undefined) {
    const users = idList(value['users']);
    if (users === NO) return NO;
    out.users = users;
  }
  return out;
}

function replyTo(value: unknown): ReplyReference | No {
  if (!plainWith(value, REPLY_KEYS)) return NO;
  const messageId = id(value['messageId']);
  const senderId = optionalId(value['senderId']);
  const fromSelf = optionalBoolean(value['fromSelf']);
  const text = optionalString(value['text']);
  if (messageId === NO || senderId === NO || fromSelf === NO || text === NO) return NO;
  const out: Mutable<ReplyReference> = { messageId };
  if (senderId !== undefined) out.senderId = senderId;
  if (fromSelf !== undefined) out.fromSelf = fromSelf;
  if (text !== undefined) out.text = text;
  return out;
}

/**
 * Parse a well-formed envelope without zod: the same result `inboundMessageSchema` (plus the
 * removal of `undefined` fields) gives, or `undefined` when the input is not plainly well-formed
 * (invalid, or merely unusual: a class instance, a `Date` timestamp …), in which case the caller
 * runs the schema. Never throws; never modifies the input. @internal
 */
export function parseWellFormedInbound(input: unknown): InboundMessage | undefined {
  if (!plainWith(input, MESSAGE_KEYS)) return undefined;
  const rawChannel = input['channel'];
  if (typeof rawChannel !== 'string') return undefined;
  const channel = rawChannel.trim().toLowerCase();
  if (channel === '') return undefined;
  const accountId = optionalString(input['accountId']);
  const messageId = id(input['messageId']);
  const messagePeer = peer(input['peer']);
  if (accountId === NO || messageId === NO || messagePeer === NO) return undefined;
  const text = input['text'];
  const timestamp = input['timestamp'];
  if (typeof text !== 'string') return undefined;
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp) || timestamp < 0) return undefined;
  const messageSender = sender(input['sender']);
  if (messageSender === NO) return undefined;

  // Key order follows the schema's, so the result is indistinguishable from the schema's.
  const out: Mutable<InboundMessage> = { channel } as Mutable<InboundMessage>;
  if (accountId !== undefined) out.accountId = accountId;
  out.messageId = messageId;
  out.peer = messagePeer;
  if (input['parentPeer'] !== undefined) {
    const parent = peer(input['parentPeer']);
    if (parent === NO) return undefined;
    out.parentPeer = parent;
  }
  const threadId = optionalId(input['threadId']);
  const guildId = optionalId(input['guildId']);
  const teamId = optionalId(input['teamId']);
  if (threadId === NO || guildId === NO || teamId === NO) return undefined;
  if (threadId !== undefined) out.threadId = threadId;
  if (guildId !== undefined) out.guildId = guildId;
  if (teamId !== undefined) out.teamId = teamId;
  if (input['memberRoleIds'] !== undefined) {
    const roles = idList(input['memberRoleIds']);
    if (roles === NO) return undefined;
    out.memberRoleIds = roles;
  }
  out.sender = messageSender;
  out.text = text;
  if (input['mentions'] !== undefined) {
    const m = mentions(input['mentions']);
    if (m === NO) return undefined;
    out.mentions = m;
  }
  if (input['replyTo'] !== undefined) {
    const r = replyTo(input['replyTo']);
    if (r === NO) return undefined;
    out.replyTo = r;
  }
  out.timestamp = timestamp;
  if (input['raw'] !== undefined) out.raw = input['raw'];
  return out;
}
