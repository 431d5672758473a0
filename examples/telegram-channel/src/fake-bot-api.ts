import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TelegramUpdate, TelegramUser } from './telegram-types.js';

/** A message the fake holds: one the bot sent, as Telegram stores it. */
export interface StoredMessage {
  readonly chatId: string;
  readonly messageId: number;
  readonly threadId?: number;
  readonly replyToMessageId?: number;
  text: string;
}

/** A canned failure for the next call of a method. */
export interface FakeFailure {
  /** HTTP status and Bot API `error_code`. */
  readonly status: number;
  readonly description: string;
  /** Seconds, for 429. */
  readonly retryAfter?: number;
  /** Answer with a non-JSON body (like a proxy error page). */
  readonly html?: boolean;
  /** Drop the connection instead of answering (a transport failure). */
  readonly dropConnection?: boolean;
}

/** A small fake of the Telegram Bot API for tests, on 127.0.0.1 and a free port. */
export interface FakeBotApi {
  /** Base URL to give the adapter as `baseUrl`. */
  readonly url: string;
  /** The token the fake accepts. */
  readonly token: string;
  /** The bot as `getMe` reports it. */
  readonly bot: TelegramUser;
  /** Every call, in order. */
  readonly calls: { method: string; params: Record<string, unknown> }[];
  /** Methods called with a token the fake rejects (401), in order. */
  readonly unauthorized: string[];
  /** Messages the bot sent, with their current text. */
  messages(): StoredMessage[];
  /** Queue an update for `getUpdates` (the `update_id` is assigned). */
  pushUpdate(update: Omit<TelegramUpdate, 'update_id'>): number;
  /** Fail the next call of `method`. */
  failNext(method: string, failure: FakeFailure): void;
  /** Forget calls and messages (queued updates and id counters stay). */
  reset(): void;
  close(): Promise<void>;
}

const MAX_TEXT = 4096;

/**
 * Start the fake. It implements `getMe`, `getUpdates` (long polling: holds the request until an
 * update arrives or `timeout` seconds pass; confirms updates below `offset`), `sendMessage`
 * (4096-character limit, `message_thread_id`, `reply_parameters` or `reply_to_message_id`),
 * `editMessageText` and `sendChatAction`, and rejects a wrong token with 401.
 */
export async function startFakeBotApi(options: { token?: string } = {}): Promise<FakeBotApi> {
  const token = options.token ?? '123:TEST';
  const bot: TelegramUser = { id: 999, is_bot: true, first_name: 'Claw', username: 'claw_test_bot' };
  const calls: FakeBotApi['calls'] = [];
  const unauthorized: string[] = [];
  let stored: StoredMessage[] = [];
  const queue: TelegramUpdate[] = [];
  const failures = new Map<string, FakeFailure[]>();
  const waiters = new Set<() => void>();
  let nextUpdateId = 1;
  const nextMessageId = new Map<string, number>();

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const ok = (res: ServerResponse, result: unknown) => json(res, 200, { ok: true, result });
  const fail = (res: ServerResponse, status: number, description: string, retryAfter?: number) =>
    json(res, status, {
      ok: false,
      error_code: status,
      description,
      ...(retryAfter === undefined ? {} : { parameters: { retry_after: retryAfter } }),
    });

  const readBody = async (req: IncomingMessage): Promise<Record<string, unknown>> => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    return raw === '' ? {} : (JSON.parse(raw) as Record<string, unknown>);
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
    if (!match) return fail(res, 404, 'Not Found');
    const [, givenToken, method] = match as unknown as [string, string, string];
    const params = await readBody(req);
    calls.push({ method, params });
    if (givenToken !== token) {
      unauthorized.push(method);
      return fail(res, 401, 'Unauthorized');
    }
    const failure = failures.get(method)?.shift();
    if (failure !== undefined) {
      if (failure.dropConnection) return req.socket.destroy();
      if (failure.html) {
        res.writeHead(failure.status, { 'content-type': 'text/html' });
        return res.end('<html><body>Bad Gateway</body></html>');
      }
      return fail(res, failure.status, failure.description, failure.retryAfter);
    }
    switch (method) {
      case 'getMe':
        return ok(res, bot);
      case 'getUpdates':
        return getUpdates(res, params);
      case 'sendMessage': {
        const text = String(params['text'] ?? '');
        if (text.trim() === '') return fail(res, 400, 'Bad Request: message text is empty');
        if (text.length > MAX_TEXT) return fail(res, 400, 'Bad Request: message is too long');
        const chatId = String(params['chat_id']);
        const messageId = (nextMessageId.get(chatId) ?? 0) + 1;
        nextMessageId.set(chatId, messageId);
        const replyParameters = params['reply_parameters'] as { message_id?: number } | undefined;
        const replyTo = replyParameters?.message_id ?? (params['reply_to_message_id'] as number | undefined);
        const threadId = params['message_thread_id'] as number | undefined;
        stored.push({
          chatId,
          messageId,
          text,
          ...(threadId === undefined ? {} : { threadId }),
          ...(replyTo === undefined ? {} : { replyToMessageId: replyTo }),
        });
        return ok(res, {
          message_id: messageId,
          date: 1_700_000_000,
          chat: { id: Number(chatId), type: chatId.startsWith('-') ? 'supergroup' : 'private' },
          from: bot,
          text,
        });
      }
      case 'editMessageText': {
        const target = stored.find(
          (m) => m.chatId === String(params['chat_id']) && m.messageId === Number(params['message_id']),
        );
        if (target === undefined) return fail(res, 400, 'Bad Request: message to edit not found');
        if (target.text === params['text']) {
          return fail(
            res,
            400,
            'Bad Request: message is not modified: specified new message content is exactly the same',
          );
        }
        target.text = String(params['text']);
        return ok(res, true);
      }
      case 'sendChatAction':
        return ok(res, true);
      default:
        return fail(res, 404, 'Not Found: method not found');
    }
  }

  function getUpdates(res: ServerResponse, params: Record<string, unknown>) {
    const offset = typeof params['offset'] === 'number' ? params['offset'] : 0;
    // Updates below the offset are confirmed: Telegram forgets them.
    while (queue.length > 0 && queue[0]!.update_id < offset) queue.shift();
    if (queue.length > 0) return ok(res, [...queue]);
    const timeoutMs = Math.max(0, Number(params['timeout'] ?? 0)) * 1000;
    const done = () => {
      clearTimeout(timer);
      waiters.delete(done);
      if (!res.writableEnded && !res.destroyed) ok(res, [...queue]);
    };
    const timer = setTimeout(done, timeoutMs);
    waiters.add(done);
    // The client gave up (the adapter stopped): forget the waiter.
    res.on('close', () => {
      clearTimeout(timer);
      waiters.delete(done);
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => fail(res, 500, `Internal Server Error: ${String(error)}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    bot,
    calls,
    unauthorized,
    messages: () => stored.map((m) => ({ ...m })),
    pushUpdate(update) {
      const updateId = nextUpdateId++;
      queue.push({ update_id: updateId, ...update });
      for (const wake of [...waiters]) wake();
      return updateId;
    },
    failNext(method, failure) {
      failures.set(method, [...(failures.get(method) ?? []), failure]);
    },
    reset() {
      calls.length = 0;
      unauthorized.length = 0;
      stored = [];
      failures.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const wake of [...waiters]) wake();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
