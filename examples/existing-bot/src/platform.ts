/**
 * The chat platform the bot lives on: "Chirp", a stand-in for Telegram, Slack or your in-house
 * chat. It POSTs a {@link ChirpUpdate} to the bot's webhook for every new message, and the bot
 * answers through an HTTP API ({@link sendChirpMessage}).
 *
 * Everything in this file is code the bot already had before it adopted the Claw SDK; the
 * migration reuses it unchanged.
 */
import type { IncomingMessage } from 'node:http';

/** What the platform POSTs to the bot's webhook for each new message. */
export interface ChirpUpdate {
  /** Increases with every update. */
  readonly updateId: number;
  readonly message: {
    /** Unique per chat platform. */
    readonly id: string;
    readonly chat: { readonly id: string; readonly type: 'private' | 'group' };
    readonly from: { readonly id: string; readonly name: string; readonly isBot?: boolean };
    readonly text: string;
    /** Seconds since the epoch. */
    readonly date: number;
  };
}

/** The body of `POST /sendMessage`. */
export interface SendMessageBody {
  readonly chatId: string;
  readonly text: string;
  /** Quote this message. */
  readonly replyTo?: string;
}

/** A failed API call: the HTTP status, and for 429 how long the platform asks us to wait. */
export class ChirpApiError extends Error {
  override readonly name = 'ChirpApiError';
  /** The HTTP status. */
  readonly status: number;
  /** Seconds to wait before retrying (429 only). */
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, status: number, retryAfterSeconds?: number) {
    super(message);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The bot's account on the platform. */
export const BOT = { id: 'bot-7', username: 'helperbot' } as const;

/**
 * `POST <apiUrl>/sendMessage`. Resolves with the id of the posted message; throws a
 * {@link ChirpApiError} when the platform refuses, or the `fetch` error when it cannot be reached.
 */
export async function sendChirpMessage(
  apiUrl: string,
  token: string,
  body: SendMessageBody,
  signal?: AbortSignal,
): Promise<{ messageId: string }> {
  const response = await fetch(`${apiUrl}/sendMessage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
    ...(signal === undefined ? {} : { signal }),
  });
  const answer = (await response.json().catch(() => ({}))) as {
    ok?: boolean;
    result?: { messageId: string };
    description?: string;
    retryAfter?: number;
  };
  if (!response.ok || answer.ok !== true || answer.result === undefined) {
    throw new ChirpApiError(
      `Chirp sendMessage failed: ${response.status} ${answer.description ?? response.statusText}`,
      response.status,
      answer.retryAfter,
    );
  }
  return answer.result;
}

/** Read a JSON request body (webhooks are small; a real bot would cap the size). */
export async function readJson(request: IncomingMessage): Promise<unknown> {
  let raw = '';
  for await (const chunk of request) raw += chunk;
  return JSON.parse(raw);
}

/**
 * The bot's "brain", a stand-in for the model call of a real bot: it takes notes
 * ("remember …") and repeats what it was told earlier in the conversation it is given.
 * What matters here is only *which* history it gets.
 */
export function think(earlier: readonly string[], text: string): string {
  const said = text.replace(`@${BOT.username}`, '').trim();
  if (/^remember\b/i.test(said)) return `Noted: ${said.replace(/^remember\s*/i, '')}`;
  const notes = earlier
    .map((line) => line.replace(`@${BOT.username}`, '').trim())
    .filter((line) => /^remember\b/i.test(line))
    .map((line) => line.replace(/^remember\s*/i, ''));
  return notes.length === 0 ? "I don't remember anything yet." : `I remember: ${notes.join('; ')}`;
}
