/**
 * A fake Chirp platform on 127.0.0.1, for the tests and the runnable walkthrough: it serves the
 * `sendMessage` API, remembers what was posted where, and delivers updates to the bot's webhook.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ChirpUpdate, readJson, type SendMessageBody } from './platform.js';

/** A message the bot posted. */
export interface PostedMessage {
  readonly chatId: string;
  readonly text: string;
  readonly replyTo?: string;
  readonly messageId: string;
}

/** What delivering an update to the webhook gave. */
export interface Delivery {
  /** The id of the delivered message (replies quote it). */
  readonly messageId: string;
  /** The webhook's HTTP status. */
  readonly status: number;
}

/** The fake platform. */
export interface FakeChirp {
  /** The API base URL to give the bot. */
  readonly url: string;
  /** The token it accepts. */
  readonly token: string;
  /** Where updates are delivered (set it once the bot listens). */
  webhookUrl: string | undefined;
  /** Everything the bot posted, in order. */
  readonly posted: readonly PostedMessage[];
  /** The texts posted into one chat. */
  textsIn(chatId: string): string[];
  /** Deliver a direct message from `userId`; the DM's chat id is the user id. */
  dm(userId: string, text: string): Promise<Delivery>;
  /** Deliver a message from `userId` in group `groupId`. */
  group(groupId: string, userId: string, text: string): Promise<Delivery>;
  close(): Promise<void>;
}

/** Start the fake on a free port. */
export async function startFakeChirp(options: { token?: string } = {}): Promise<FakeChirp> {
  const token = options.token ?? 'chirp-token';
  const posted: PostedMessage[] = [];
  let nextMessage = 1;
  let nextUpdate = 1;

  const server: Server = createServer(async (request, response) => {
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'POST' || request.url !== '/sendMessage') {
      return reply(404, { ok: false, description: 'Not Found' });
    }
    if (request.headers.authorization !== `Bearer ${token}`) {
      return reply(401, { ok: false, description: 'Unauthorized' });
    }
    const body = (await readJson(request)) as SendMessageBody;
    if (typeof body.chatId !== 'string' || typeof body.text !== 'string' || body.text === '') {
      return reply(400, { ok: false, description: 'Bad Request: chatId and text are required' });
    }
    const messageId = `out-${nextMessage++}`;
    posted.push({
      chatId: body.chatId,
      text: body.text,
      messageId,
      ...(body.replyTo === undefined ? {} : { replyTo: body.replyTo }),
    });
    reply(200, { ok: true, result: { messageId } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeChirp = {
    url: `http://127.0.0.1:${port}`,
    token,
    webhookUrl: undefined,
    posted,
    textsIn: (chatId) => posted.filter((m) => m.chatId === chatId).map((m) => m.text),
    dm: (userId, text) => deliver({ id: userId, type: 'private' }, userId, text),
    group: (groupId, userId, text) => deliver({ id: groupId, type: 'group' }, userId, text),
    close: () => closeServer(server),
  };

  async function deliver(
    chat: ChirpUpdate['message']['chat'],
    userId: string,
    text: string,
  ): Promise<Delivery> {
    if (fake.webhookUrl === undefined) throw new Error('FakeChirp: set webhookUrl before delivering updates');
    const messageId = `in-${nextMessage++}`;
    const update: ChirpUpdate = {
      updateId: nextUpdate++,
      message: {
        id: messageId,
        chat,
        from: { id: userId, name: userId.charAt(0).toUpperCase() + userId.slice(1) },
        text,
        date: 1_767_225_600 + nextUpdate,
      },
    };
    const response = await fetch(fake.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(update),
    });
    await response.arrayBuffer();
    return { messageId, status: response.status };
  }

  return fake;
}

/** Listen on 127.0.0.1 and a free port; resolves with the server's `/webhook` URL. */
export async function listenLocally(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
}

/** Close a server, ending idle keep-alive connections so it closes at once. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
