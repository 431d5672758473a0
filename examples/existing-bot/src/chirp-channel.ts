/**
 * AFTER, part 1: the two small translations the Claw SDK needs from a bot — platform update →
 * `InboundMessage`, and `send(target, message)` → the platform API the bot already calls.
 */
import {
  type ChannelAdapter,
  ChannelSendError,
  defineChannel,
  type InboundMessage,
  parseInbound,
} from '@claw/channel-kit';
import { BOT, ChirpApiError, type ChirpUpdate, sendChirpMessage } from './platform.js';

/** The channel id: it appears in session keys (`agent:main:chirp:group:<id>`) and in the config. */
export const CHIRP = 'chirp';

/**
 * Turn a webhook update into the envelope the core consumes. `parseInbound` validates it and
 * throws an `InvalidMessageError` naming the field when something is missing.
 */
export function toInboundMessage(update: ChirpUpdate): InboundMessage {
  // A webhook body is untrusted input: read it defensively, and let parseInbound say what is missing.
  const { id, chat, from, text, date }: Partial<ChirpUpdate['message']> = update?.message ?? {};
  return parseInbound({
    channel: CHIRP,
    messageId: id,
    peer: chat && { kind: chat.type === 'private' ? 'direct' : 'group', id: chat.id },
    sender: from && { id: from.id, name: from.name, isBot: from.isBot === true, isSelf: from.id === BOT.id },
    text,
    timestamp: typeof date === 'number' ? date * 1000 : undefined,
    raw: update,
  });
}

/**
 * The outbound half: post exactly where the core says (`target.peer.id`), quoting the message it
 * answers, and tell the core whether a failure is worth retrying.
 */
export function createChirpChannel(options: { apiUrl: string; token: string }): ChannelAdapter {
  return defineChannel({
    specificationVersion: 'v1',
    id: CHIRP,
    capabilities: { chatTypes: ['direct', 'group'], replies: true, textChunkLimit: 4000 },
    async send(target, message, ctx) {
      try {
        return await sendChirpMessage(
          options.apiUrl,
          options.token,
          {
            chatId: target.peer.id,
            text: message.text,
            ...(message.replyToMessageId === undefined ? {} : { replyTo: message.replyToMessageId }),
          },
          ctx.signal,
        );
      } catch (error) {
        throw toSendError(error, ctx.signal);
      }
    },
  });
}

/** 429 and 5xx are worth a retry (the core retries them with backoff); the rest are not. */
function toSendError(error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) return error; // the gateway is stopping: not a platform failure
  if (!(error instanceof ChirpApiError)) {
    return new ChannelSendError(`Chirp is unreachable: ${String(error)}`, {
      reason: 'network',
      cause: error,
    });
  }
  const reason =
    error.status === 429
      ? 'rate_limited'
      : error.status >= 500
        ? 'network'
        : error.status === 401
          ? 'auth'
          : error.status === 403
            ? 'forbidden'
            : error.status === 404
              ? 'not_found'
              : 'invalid';
  return new ChannelSendError(error.message, {
    reason,
    cause: error,
    ...(error.retryAfterSeconds === undefined ? {} : { retryAfterMs: error.retryAfterSeconds * 1000 }),
  });
}
