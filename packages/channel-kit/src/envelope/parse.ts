import { InvalidMessageError } from '../errors/invalid-message-error.js';
import { parseWellFormedInbound } from './fast-parse.js';
import { toMessageIssues, withoutUndefined } from './issues.js';
import { inboundMessageSchema, replyTargetSchema } from './schema.js';
import type { InboundMessage, ReplyTarget } from './types.js';

/**
 * Validate unknown input (a JSON body, an adapter's output) and return a normalised
 * {@link InboundMessage}: ids become trimmed strings, the channel is lowercased, the legacy
 * peer kinds `dm` and `supergroup` become `direct` and `group`.
 *
 * @throws {InvalidMessageError} naming every offending field; the input is not modified.
 */
export function parseInbound(input: unknown): InboundMessage {
  // Well-formed envelopes (nearly all of them) skip zod; the schema runs for the rest and words
  // the errors.
  const fast = parseWellFormedInbound(input);
  if (fast !== undefined) return fast;
  const result = inboundMessageSchema.safeParse(input);
  if (!result.success) throw new InvalidMessageError(toMessageIssues(result.error), { cause: result.error });
  const msg = withoutUndefined(result.data);
  for (const nested of [msg.sender, msg.mentions, msg.replyTo]) if (nested) withoutUndefined(nested);
  return msg as InboundMessage;
}

/**
 * Validate unknown input as a {@link ReplyTarget} (e.g. one read back from a store).
 * @throws {InvalidMessageError} naming every offending field.
 */
export function parseReplyTarget(input: unknown): ReplyTarget {
  const result = replyTargetSchema.safeParse(input);
  if (!result.success) throw new InvalidMessageError(toMessageIssues(result.error), { cause: result.error });
  return Object.freeze(withoutUndefined(result.data)) as ReplyTarget;
}
