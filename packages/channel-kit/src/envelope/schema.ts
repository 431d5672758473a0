import { z } from 'zod';
import { normalizeChatType } from './chat-type.js';

/**
 * Platform ids arrive as strings, numbers (Telegram chat ids) or bigints (Discord snowflakes).
 * All become trimmed strings; an id that is empty after trimming is rejected rather than being
 * turned into a shared placeholder such as `unknown` (which would merge unrelated conversations).
 */
const idSchema = z
  .union([z.string(), z.number().int(), z.bigint()], {
    error: 'must be a non-empty string id (numbers and bigints are accepted and converted)',
  })
  .transform((v) => String(v).trim())
  .pipe(z.string().min(1, { error: 'must not be empty or blank' }));

/** `direct` | `group` | `channel`; the legacy spellings `dm` and `supergroup` are accepted. */
export const chatTypeSchema = z
  .string({ error: 'must be one of direct, group, channel' })
  .transform((v, ctx) => {
    const kind = normalizeChatType(v);
    if (kind === undefined) {
      ctx.addIssue({ code: 'custom', message: `must be one of direct, group, channel (got "${v}")` });
      return z.NEVER;
    }
    return kind;
  });

/** Schema of a {@link Peer}. */
export const peerSchema = z.strictObject({ kind: chatTypeSchema, id: idSchema });

/** Schema of a {@link Sender}. */
export const senderSchema = z.strictObject({
  id: idSchema,
  username: z.string().optional(),
  name: z.string().optional(),
  e164: z.string().optional(),
  isBot: z.boolean().optional(),
  isSelf: z.boolean().optional(),
});

/** Schema of {@link Mentions}. */
export const mentionsSchema = z.strictObject({
  self: z.boolean().optional(),
  users: z.array(idSchema).optional(),
});

/** Schema of a {@link ReplyReference}. */
export const replyReferenceSchema = z.strictObject({
  messageId: idSchema,
  senderId: idSchema.optional(),
  fromSelf: z.boolean().optional(),
  text: z.string().optional(),
});

/** Schema of an {@link InboundMessage}. Unknown top-level fields are rejected so typos surface. */
export const inboundMessageSchema = z.strictObject({
  channel: z
    .string({ error: 'must be a channel id such as "telegram"' })
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.string().min(1, { error: 'must not be empty' })),
  accountId: z.string().optional(),
  messageId: idSchema,
  peer: peerSchema,
  parentPeer: peerSchema.optional(),
  threadId: idSchema.optional(),
  guildId: idSchema.optional(),
  teamId: idSchema.optional(),
  memberRoleIds: z.array(idSchema).optional(),
  sender: senderSchema,
  text: z.string({ error: 'must be a string (use "" for media-only messages)' }),
  mentions: mentionsSchema.optional(),
  replyTo: replyReferenceSchema.optional(),
  timestamp: z.union([z.number().finite().nonnegative(), z.date().transform((d) => d.getTime())], {
    error: 'must be milliseconds since the epoch (a number) or a Date',
  }),
  raw: z.unknown().optional(),
});

/** Schema of a {@link ReplyTarget}. */
export const replyTargetSchema = z.strictObject({
  channel: z.string().min(1),
  accountId: z.string().min(1),
  peer: peerSchema,
  threadId: idSchema.optional(),
  replyToMessageId: idSchema.optional(),
});
