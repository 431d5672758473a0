/**
 * A fake Acme Chat on 127.0.0.1 for the tests and the runnable example: it implements
 * `POST /v1/messages` and `POST /v1/webhook` as `acme-api.ts` documents them, keeps what was
 * posted, fails on request, and delivers events to the registered webhook.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChannelSendErrorReason } from '@claw/channel-kit';
import { ACME_MAX_TEXT, type AcmeConversation, type AcmeMessage, type AcmeUser } from './acme-api.js';

/** A message the bot posted, as Acme stores it. */
export interface StoredAcmeMessage {
  readonly id: string;
  readonly conversationId: string;
  readonly threadId?: string;
  readonly replyTo?: string;
  readonly text: string;
  readonly idempotencyKey?: string;
}

/** What to deliver to the webhook. */
export interface FakeEvent {
  readonly conversation: AcmeConversation;
  readonly threadId?: string;
  /** Default: Alice. */
  readonly author?: AcmeUser;
  readonly text: string;
  /** Mention the bot natively. */
  readonly mentionBot?: boolean;
}

/** The fake. */
export interface FakeAcme {
  readonly url: string;
  readonly token: string;
  /** The bot's account. */
  readonly bot: AcmeUser;
  /** A regular user. */
  readonly alice: AcmeUser;
  /** Messages the bot posted, in order. */
  messages(): readonly StoredAcmeMessage[];
  /** Forget the posted messages. */
  reset(): void;
  /** Make the next post fail the way Acme fails for `reason`. */
  failNextPost(reason: ChannelSendErrorReason, retryAfterMs?: number): void;
  /** The webhook URL the adapter registered, if any. */
  webhookUrl(): string | undefined;
  /** Deliver an event to the registered webhook; resolves with the webhook's HTTP status and the message. */
  deliver(event: FakeEvent): Promise<{ status: number; message: AcmeMessage }>;
  close(): Promise<void>;
}

const failureStatus: Record<ChannelSendErrorReason, number> = {
  rate_limited: 429,
  network: 502,
  auth: 401,
  forbidden: 403,
  not_found: 404,
  too_long: 413,
  invalid: 400,
};

/** Start the fake on a free port. */
export async function startFakeAcme(options: { token?: string } = {}): Promise<FakeAcme> {
  const token = options.token ?? 'acme-token';
  const bot: AcmeUser = { id: 'U-bot', handle: 'acmebot', name: 'Acme Bot', is_bot: true };
  const alice: AcmeUser = { id: 'U-alice', handle: 'alice', name: 'Alice', is_bot: false };
  let stored: StoredAcmeMessage[] = [];
  const failures: { reason: ChannelSendErrorReason; retryAfterMs?: number }[] = [];
  let webhook: { url: string; secret: string } | undefined;
  let nextId = 1;

  const json = (
    response: ServerResponse,
    status: number,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const error = (response: ServerResponse, status: number, code: string, headers?: Record<string, string>) =>
    json(response, status, { error: { code, message: `fake Acme: ${code}` } }, headers);

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.headers.authorization !== `Bearer ${token}`) return error(response, 401, 'unauthorized');
    let raw = '';
    for await (const chunk of request) raw += chunk;
    const body = JSON.parse(raw || '{}') as Record<string, unknown>;
    if (request.method === 'POST' && request.url === '/v1/webhook') {
      webhook = { url: String(body['url']), secret: String(body['secret']) };
      return json(response, 204);
    }
    if (request.method !== 'POST' || request.url !== '/v1/messages') return error(response, 404, 'not_found');
    const failure = failures.shift();
    if (failure?.reason === 'network') {
      request.socket.destroy(); // a dropped connection
      return;
    }
    if (failure !== undefined) {
      const retryAfter =
        failure.retryAfterMs === undefined
          ? {}
          : { 'retry-after': String(Math.ceil(failure.retryAfterMs / 1000)) };
      return error(response, failureStatus[failure.reason], failure.reason, retryAfter);
    }
    const text = body['text'];
    if (typeof body['conversation_id'] !== 'string' || typeof text !== 'string' || text === '') {
      return error(response, 400, 'invalid_request');
    }
    if (text.length > ACME_MAX_TEXT) return error(response, 413, 'too_long');
    const key = request.headers['idempotency-key'];
    const again = typeof key === 'string' ? stored.find((m) => m.idempotencyKey === key) : undefined;
    if (again !== undefined) return json(response, 201, { message: { id: again.id } });
    const message: StoredAcmeMessage = {
      id: `M-${nextId++}`,
      conversationId: body['conversation_id'],
      text,
      ...(typeof body['thread_id'] === 'string' ? { threadId: body['thread_id'] } : {}),
      ...(typeof body['reply_to'] === 'string' ? { replyTo: body['reply_to'] } : {}),
      ...(typeof key === 'string' ? { idempotencyKey: key } : {}),
    };
    stored.push(message);
    return json(response, 201, { message: { id: message.id } });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => error(response, 500, 'internal'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    bot,
    alice,
    messages: () => stored,
    webhookUrl: () => webhook?.url,
    reset: () => {
      stored = [];
    },
    failNextPost: (reason, retryAfterMs) => {
      failures.push(retryAfterMs === undefined ? { reason } : { reason, retryAfterMs });
    },
    async deliver(event) {
      if (webhook === undefined)
        throw new Error('fake Acme: no webhook registered (start the adapter first)');
      const author = event.author ?? alice;
      const message: AcmeMessage = {
        id: `M-${nextId++}`,
        conversation: event.conversation,
        ...(event.threadId === undefined ? {} : { thread_id: event.threadId }),
        author,
        text: event.mentionBot ? `@${bot.handle} ${event.text}` : event.text,
        mentions: event.mentionBot ? [bot.id] : [],
        created_at: new Date(Date.UTC(2026, 0, 1, 9, 0, nextId)).toISOString(),
      };
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-acme-secret': webhook.secret },
        body: JSON.stringify({ type: 'message.created', message }),
      });
      await response.arrayBuffer();
      return { status: response.status, message };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
