import { ChannelSendError, type ChannelSendErrorReason } from '@claw/channel-kit';
import type { TelegramResponse } from './telegram-types.js';

/** How to reach the Bot API. */
export interface BotApiConfig {
  /** The bot token from @BotFather. */
  readonly token: string;
  /** API root. Default `https://api.telegram.org`; tests point it at a fake server. */
  readonly baseUrl: string;
  /** The `fetch` to use. Default: the global one. */
  readonly fetch: typeof fetch;
}

/**
 * Map a failed Bot API call to a `ChannelSendError` reason. Telegram reports everything as an
 * HTTP status plus a `description`; the description is what tells "chat not found" from a
 * malformed request, so it is consulted for 400s.
 */
export function classifyTelegramError(status: number, description: string): ChannelSendErrorReason {
  if (status === 429) return 'rate_limited';
  // Telegram answers 404 (not 401) when the token in the URL is unknown.
  if (status === 401 || status === 404) return 'auth';
  if (status === 403) return 'forbidden';
  if (status >= 500) return 'network';
  const text = description.toLowerCase();
  if (text.includes('too long')) return 'too_long';
  if (/not found|chat_id is empty|peer_id_invalid|user is deactivated/.test(text)) return 'not_found';
  if (/kicked|blocked|not enough rights|have no rights|not a member/.test(text)) return 'forbidden';
  return 'invalid';
}

/**
 * Call one Bot API method with a JSON body and return its `result`.
 *
 * @throws {ChannelSendError} classified by {@link classifyTelegramError}; transport failures and
 *   unreadable responses (a proxy's HTML error page) are `network`. When `signal` aborts, the
 *   abort reason is thrown as is: an abort is not a platform failure.
 */
export async function callBotApi<T>(
  config: BotApiConfig,
  method: string,
  params: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<T> {
  signal?.throwIfAborted();
  let response: Response;
  try {
    response = await config.fetch(`${config.baseUrl}/bot${config.token}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
      ...(signal === undefined ? {} : { signal }),
    });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new ChannelSendError(`Telegram ${method}: request failed (${(error as Error).message})`, {
      reason: 'network',
      cause: error,
    });
  }
  let body: TelegramResponse<T>;
  try {
    body = (await response.json()) as TelegramResponse<T>;
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new ChannelSendError(`Telegram ${method}: unreadable response (HTTP ${response.status})`, {
      reason: response.status === 429 ? 'rate_limited' : 'network',
      cause: error,
    });
  }
  if (body.ok) return body.result;
  const retryAfter = body.parameters?.retry_after;
  throw new ChannelSendError(`Telegram ${method} failed (${body.error_code}): ${body.description}`, {
    reason: classifyTelegramError(body.error_code, body.description),
    ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter * 1000 }),
    cause: body,
  });
}
