import { z } from 'zod';

const flag = (what: string) => z.boolean({ error: `must be true or false (${what})` }).optional();

const perSecond = z
  .number({ error: 'must be a number of messages per second' })
  .finite({ error: 'must be a finite number of messages per second' })
  .positive({ error: 'must be greater than 0 messages per second' })
  .optional();

/**
 * Schema of capabilities as an adapter declares them (every flag optional, unknown flags rejected
 * so that a typo such as `thread: true` surfaces instead of silently meaning "no threads").
 */
export const capabilitiesInputSchema = z.strictObject({
  chatTypes: z
    .array(z.enum(['direct', 'group', 'channel'], { error: 'must be one of direct, group, channel' }), {
      error: 'must be a list of chat types (direct, group, channel)',
    })
    .min(1, { error: 'must list at least one chat type (direct, group, channel)' })
    .refine((types) => new Set(types).size === types.length, { error: 'must not list a chat type twice' })
    .optional(),
  threads: flag('send honours target.threadId'),
  topics: flag('forum topics are part of the peer id'),
  supportsCurrentConversationBinding: flag('the generic conversation-binding chain is offered'),
  nativeMentions: flag('inbound messages carry mentions'),
  replies: flag('send honours replyToMessageId'),
  edit: flag('the adapter implements edit()'),
  reactions: flag('the adapter implements react()'),
  media: flag('send accepts media'),
  typing: flag('the adapter implements setTyping()'),
  textChunkLimit: z
    .number({ error: 'must be a positive integer number of characters' })
    .int({ error: 'must be a positive integer number of characters' })
    .positive({ error: 'must be a positive integer number of characters' })
    .optional(),
  markdown: flag('the platform renders Markdown'),
  caseInsensitiveIds: flag('platform ids are case-insensitive'),
  chunkMode: z
    .enum(['length', 'newline', 'markdown'], { error: 'must be one of length, newline, markdown' })
    .optional(),
  rateLimits: z
    .strictObject(
      { perConversationPerSecond: perSecond, globalPerSecond: perSecond },
      { error: 'must be an object { perConversationPerSecond?, globalPerSecond? }' },
    )
    .optional(),
});
