/**
 * The wire format of "Acme Chat", a fictional platform, as its API documentation would describe
 * it. Writing these types down first is the first step of any adapter: the adapter is then a
 * translation between them and the `@claw/channel-kit` envelope.
 *
 * - REST: `POST /v1/messages` posts a message, `POST /v1/webhook` registers where events go.
 *   Every call carries `Authorization: Bearer <token>`; `Idempotency-Key` makes a retried post
 *   land once.
 * - Webhook: Acme POSTs an {@link AcmeEvent} to the registered URL, with the registration's
 *   secret in `X-Acme-Secret`. A 2xx confirms it; anything else makes Acme redeliver it later.
 * - Conversations are DMs, groups and channels; channels have threads (a thread is named by the
 *   id of its first message). Messages are at most 2000 characters.
 */

/** A conversation as Acme describes it. */
export interface AcmeConversation {
  readonly id: string;
  readonly kind: 'dm' | 'group' | 'channel';
}

/** A user as Acme describes it. */
export interface AcmeUser {
  readonly id: string;
  /** `@handle`, without the `@`. */
  readonly handle: string;
  readonly name: string;
  readonly is_bot: boolean;
}

/** A message as Acme delivers it in a webhook event. */
export interface AcmeMessage {
  readonly id: string;
  readonly conversation: AcmeConversation;
  /** Set when the message was posted in a thread of a channel. */
  readonly thread_id?: string;
  readonly author: AcmeUser;
  readonly text: string;
  /** Ids of the users mentioned with `@handle`. */
  readonly mentions: readonly string[];
  readonly reply_to?: { readonly id: string; readonly author_id: string };
  /** ISO 8601. */
  readonly created_at: string;
}

/** What Acme POSTs to the webhook. Other event types exist; an adapter ignores what it does not need. */
export type AcmeEvent =
  | { readonly type: 'message.created'; readonly message: AcmeMessage }
  | { readonly type: string; readonly [field: string]: unknown };

/** The body of `POST /v1/messages`. */
export interface AcmePostMessage {
  readonly conversation_id: string;
  readonly thread_id?: string;
  readonly text: string;
  readonly reply_to?: string;
}

/** What `POST /v1/messages` answers with (201). */
export interface AcmePostedMessage {
  readonly message: { readonly id: string };
}

/**
 * Acme's error body, sent with the matching HTTP status: 400 `invalid_request`, 401
 * `unauthorized`, 403 `forbidden`, 404 `not_found`, 413 `too_long`, 429 `rate_limited` (with a
 * `Retry-After` header in seconds), 5xx `internal`.
 */
export interface AcmeErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}

/** The longest message Acme accepts. */
export const ACME_MAX_TEXT = 2000;
