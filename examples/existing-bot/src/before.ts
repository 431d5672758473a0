/**
 * BEFORE: the bot as many start out — a webhook handler that answers every message with one
 * global history. It works in a single chat and breaks as soon as it is in several:
 *
 * 1. **One history for everyone.** What Alice tells it in a DM shows up in the answer to the
 *    dev-team group ("the private note almost went to the group").
 * 2. **A "last chat" reply route.** The answer goes to the chat that wrote *last*, not to the
 *    one that asked: while it thinks about group A, a message in group B moves the route, and
 *    A's answer lands in B ("asked in dev-team, answered in release-squad").
 * 3. **No mention gate.** It answers every message in a group, addressed to it or not.
 */
import { createServer, type Server } from 'node:http';
import { type ChirpUpdate, readJson, sendChirpMessage, think } from './platform.js';

/** Options of both versions of the bot. */
export interface BotOptions {
  /** The platform's API base URL. */
  readonly apiUrl: string;
  /** The bot token. */
  readonly token: string;
  /** The brain (default {@link think}); async in real life: a model call takes seconds. */
  readonly think?: (earlier: readonly string[], text: string) => string | Promise<string>;
}

/** The naive bot: a `node:http` server whose `POST /webhook` answers each update. */
export function createNaiveBot(options: BotOptions): Server {
  const brain = options.think ?? think;
  const history: string[] = []; // ← bug 1: one list for every chat
  let lastChatId = ''; // ← bug 2: the reply route is "wherever the last message came from"

  return createServer(async (request, response) => {
    if (request.method !== 'POST' || request.url !== '/webhook') {
      response.writeHead(404).end();
      return;
    }
    const update = (await readJson(request)) as ChirpUpdate;
    const { chat, text } = update.message;
    lastChatId = chat.id;
    const earlier = [...history];
    history.push(text);
    // ← bug 3: no mention check, every group message gets an answer
    const answer = await brain(earlier, text);
    await sendChirpMessage(options.apiUrl, options.token, { chatId: lastChatId, text: answer });
    response.writeHead(200).end();
  });
}
