/**
 * A channel adapter for Acme Chat, written as a walkthrough: read it top to bottom.
 *
 * An adapter only translates. Inbound, it turns Acme webhook events into `InboundMessage`s and
 * hands them to the core; outbound, it posts exactly where a `ReplyTarget` says. Sessions,
 * routing, access rules, queueing, retries and conversation bindings all stay in the core.
 *
 * The full-featured example (long polling, edits, typing, forum topics) is the Telegram adapter
 * in `examples/telegram-channel`; `docs/channel-adapters.md` documents every member.
 */

import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ChannelAdapter,
  ChannelSendError,
  type ChannelSendErrorReason,
  type ChannelStartContext,
  defineChannel,
  type InboundMessage,
  InvalidMessageError,
  parseInbound,
} from '@claw/channel-kit';
import {
  ACME_MAX_TEXT,
  type AcmeErrorBody,
  type AcmeEvent,
  type AcmeMessage,
  type AcmePostedMessage,
  type AcmePostMessage,
} from './acme-api.js';

/** The channel id: lowercase, stable. It appears in session keys and in the config (`channels.acme`). */
export const ACME = 'acme';

/** Options of {@link createAcmeChannel}. */
export interface AcmeChannelOptions {
  /** Acme's API base URL, e.g. `https://api.acme.chat`. */
  readonly baseUrl: string;
  /** The bot's API token. */
  readonly token: string;
  /** The bot's own user id: to flag its own messages and to see when it is mentioned. */
  readonly botUserId: string;
  /** Shared secret Acme sends back in `X-Acme-Secret` with every event. */
  readonly webhookSecret: string;
  /** Where the webhook server listens. Default: 127.0.0.1, a free port. */
  readonly listen?: { readonly host?: string; readonly port?: number };
  /**
   * The URL Acme should POST events to, when it differs from the listening address (behind a
   * proxy or a tunnel). Default: `http://<host>:<port>/acme/events`.
   */
  readonly publicUrl?: string;
}

/**
 * Step 1 — inbound: one Acme message → one `InboundMessage`.
 *
 * `parseInbound` validates the result exactly as the core will, so a malformed event fails here
 * with an `InvalidMessageError` naming the field, not somewhere deep in the gateway.
 */
export function toInboundMessage(message: AcmeMessage, botUserId: string): InboundMessage {
  const kind = message.conversation?.kind;
  return parseInbound({
    channel: ACME,
    messageId: message.id,
    // Acme's conversation kinds map one to one onto the envelope's chat types.
    peer: { kind: kind === 'dm' ? 'direct' : kind, id: message.conversation?.id },
    // A thread lives inside a channel: same peer, plus `threadId`. The core gives each thread its
    // own session (`…:thread:<id>`) and sends replies back into it.
    ...(message.thread_id === undefined ? {} : { threadId: message.thread_id }),
    sender: {
      id: message.author?.id,
      username: message.author?.handle,
      name: message.author?.name,
      isBot: message.author?.is_bot === true,
      // The bot's own messages come back through the webhook too: flag them so it never answers itself.
      isSelf: message.author?.id === botUserId,
    },
    text: message.text,
    // Acme reports mentions natively (we declare `nativeMentions`), so the core needs no regexes.
    mentions: { self: message.mentions?.includes(botUserId) === true, users: [...(message.mentions ?? [])] },
    ...(message.reply_to === undefined
      ? {}
      : {
          replyTo: {
            messageId: message.reply_to.id,
            senderId: message.reply_to.author_id,
            // A reply to the bot counts as mentioning it (OpenClaw's implicit mention).
            fromSelf: message.reply_to.author_id === botUserId,
          },
        }),
    timestamp: Date.parse(message.created_at),
    raw: message,
  });
}

/**
 * Step 2 — outbound failures: tell the core what a retry could achieve. `rate_limited` and
 * `network` are retried with backoff (honouring `retryAfterMs`); the rest are reported as
 * permanent failures and never retried.
 */
async function sendError(response: Response): Promise<ChannelSendError> {
  const body = (await response.json().catch(() => undefined)) as Partial<AcmeErrorBody> | undefined;
  const detail = `Acme answered ${response.status}: ${body?.error?.message ?? response.statusText}`;
  const byStatus: Record<number, ChannelSendErrorReason> = {
    401: 'auth',
    403: 'forbidden',
    404: 'not_found',
    413: 'too_long',
    429: 'rate_limited',
  };
  const reason = byStatus[response.status] ?? (response.status >= 500 ? 'network' : 'invalid');
  const retryAfter = Number(response.headers.get('retry-after'));
  return new ChannelSendError(detail, {
    reason,
    ...(reason === 'rate_limited' && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
  });
}

/** Read a request body (capped: a webhook event is small, anything bigger is not from Acme). */
async function readBody(request: IncomingMessage, limit = 1_000_000): Promise<string> {
  let body = '';
  for await (const chunk of request) {
    body += chunk;
    if (body.length > limit) throw new RangeError('body too large');
  }
  return body;
}

/** Compare in constant time, so the secret cannot be guessed from response times. */
function sameSecret(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Create the Acme Chat adapter. */
export function createAcmeChannel(options: AcmeChannelOptions): ChannelAdapter {
  const { baseUrl, token, botUserId, webhookSecret } = options;
  let server: Server | undefined;

  const stopServer = async (): Promise<void> => {
    const current = server;
    server = undefined;
    if (current === undefined) return;
    await new Promise<void>((resolve) => {
      current.close(() => resolve());
      current.closeAllConnections();
    });
  };

  /** Step 3 — the webhook: check, translate, hand to the core, then confirm to Acme. */
  const handleEvent = async (
    request: IncomingMessage,
    response: ServerResponse,
    ctx: ChannelStartContext,
  ): Promise<void> => {
    if (request.method !== 'POST') return void response.writeHead(405).end();
    if (!sameSecret(request.headers['x-acme-secret'], webhookSecret))
      return void response.writeHead(401).end();
    try {
      const event = JSON.parse(await readBody(request)) as AcmeEvent;
      if (event.type === 'message.created') {
        // Answer Acme only once the core has taken the message (admitted, or decided to ignore
        // it): if the process dies before, no 2xx went out and Acme delivers the event again.
        await ctx.receive(toInboundMessage((event as { message: AcmeMessage }).message, botUserId));
      }
      response.writeHead(204).end();
    } catch (error) {
      // A malformed event never gets better: 400 stops redelivery. Anything else (the gateway is
      // stopping, a store failed): 503, and Acme delivers it again later.
      const malformed =
        error instanceof SyntaxError || error instanceof RangeError || InvalidMessageError.isInstance(error);
      response.writeHead(malformed ? 400 : 503).end();
    }
  };

  return defineChannel({
    specificationVersion: 'v1',
    id: ACME,

    // Step 4 — capabilities: declare what Acme can do; omitted flags default to "no".
    // `defineChannel` checks them against the methods below (e.g. `edit: true` needs `edit()`),
    // and the conformance kit checks what cannot be seen from outside (threads, replies …).
    capabilities: {
      chatTypes: ['direct', 'group', 'channel'],
      threads: true, // send() posts into target.threadId
      replies: true, // send() quotes message.replyToMessageId
      nativeMentions: true, // toInboundMessage fills mentions.self
      // All it takes to join conversation bindings ("/focus" a chat or a thread on an agent):
      // the core derives the conversation from the target and stores the binding itself.
      supportsCurrentConversationBinding: true,
      textChunkLimit: ACME_MAX_TEXT, // the dispatcher splits longer answers before send()
    },

    // Step 5 — send: post exactly to the target, nowhere else, one message per call.
    async send(target, message, ctx) {
      const body: AcmePostMessage = {
        conversation_id: target.peer.id,
        text: message.text,
        ...(target.threadId === undefined ? {} : { thread_id: target.threadId }),
        ...(message.replyToMessageId === undefined ? {} : { reply_to: message.replyToMessageId }),
      };
      let response: Response;
      try {
        response = await fetch(`${baseUrl}/v1/messages`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            // Same key on every retry of this part: Acme posts it once.
            'idempotency-key': ctx.idempotencyKey,
          },
          body: JSON.stringify(body),
          // The gateway aborts it when it stops or the turn is interrupted.
          signal: ctx.signal,
        });
      } catch (error) {
        if (ctx.signal.aborted) throw error; // stopping, not a platform failure
        throw new ChannelSendError(`Acme is unreachable: ${String(error)}`, {
          reason: 'network',
          cause: error,
        });
      }
      if (!response.ok) throw await sendError(response);
      const posted = (await response.json()) as AcmePostedMessage;
      return { messageId: posted.message.id };
    },

    // Step 6 — receiving: start a webhook server and tell Acme where it is. `claw.start()` calls
    // this with the core's `receive`; `claw.stop()` calls `stop()`.
    async start(ctx) {
      if (server !== undefined) return;
      const current = createServer((request, response) => void handleEvent(request, response, ctx));
      server = current;
      const host = options.listen?.host ?? '127.0.0.1';
      await new Promise<void>((resolve) => current.listen(options.listen?.port ?? 0, host, resolve));
      const { port } = current.address() as AddressInfo;
      const url = options.publicUrl ?? `http://${host}:${port}/acme/events`;
      try {
        const registered = await fetch(`${baseUrl}/v1/webhook`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ url, secret: webhookSecret }),
          signal: ctx.signal,
        });
        if (!registered.ok) throw await sendError(registered);
      } catch (error) {
        await stopServer(); // not receiving after all: do not leave the port open
        throw error;
      }
    },

    // Safe before start() and when called twice (the conformance kit checks both).
    stop: stopServer,
  });
}
