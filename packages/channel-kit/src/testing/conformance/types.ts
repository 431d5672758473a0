import type { ChannelAdapter } from '../../adapter/types.js';
import type { ChatType, ReplyTarget, Sender } from '../../envelope/types.js';
import type { ChannelSendErrorReason } from '../../errors/channel-send-error.js';

/**
 * One message as the platform (your fake server) holds it, described in the adapter's own id
 * terms — the same terms as `ReplyTarget` — so the kit can compare it with the target it sent to.
 * A Telegram fake, for instance, reports `chat_id` + `message_thread_id` of a forum topic as
 * `peerId: "<chat_id>:topic:<message_thread_id>"`.
 */
export interface PlatformMessage {
  /** The conversation it landed in. */
  readonly peerId: string;
  /** The thread it landed in, if any (Slack `thread_ts`, Matrix thread root). */
  readonly threadId?: string;
  /** Its current text (after any edit). */
  readonly text: string;
  /** The platform's id of the message. */
  readonly messageId: string;
  /** The message it replies to, if any. */
  readonly replyToMessageId?: string;
}

/** Where the kit sends: one target per chat type the adapter declares, plus thread and topic targets. */
export interface ConformanceTargets {
  /** A direct chat. Required when `chatTypes` includes `direct`. */
  readonly direct?: ReplyTarget;
  /** A group. Required when `chatTypes` includes `group`. */
  readonly group?: ReplyTarget;
  /** A channel or room. Required when `chatTypes` includes `channel`. */
  readonly channel?: ReplyTarget;
  /** A target with `threadId` set. Required when the adapter declares `threads`. */
  readonly thread?: ReplyTarget;
  /** A forum topic target (`<chat>:topic:<id>` peer). Required when the adapter declares `topics`. */
  readonly topic?: ReplyTarget;
}

/** What the kit asks the platform to deliver inbound. */
export interface InboundRequest {
  /** `user`: a message from an ordinary user; `self`: one posted by the bot itself (an echo). */
  readonly from: 'user' | 'self';
  /** The exact text to deliver; the kit finds the message again by it. */
  readonly text: string;
  /** Mention the bot natively (an `@bot` entity, a `<@id>` token …). */
  readonly mention?: boolean;
  /** Which kind of conversation to deliver it in (one the adapter declares). */
  readonly chatType: ChatType;
}

/** How the conformance kit observes and drives your platform (usually a fake server the test starts). */
export interface ChannelConformanceOptions {
  /** A label for the describe block. Default: the adapter id. */
  readonly name?: string;
  /** Where to send. */
  readonly targets: ConformanceTargets;
  /** Everything the platform has received since the last `reset`, in order. */
  received(): readonly PlatformMessage[] | Promise<readonly PlatformMessage[]>;
  /** Forget what was received (called before every check). */
  reset?(): void | Promise<void>;
  /**
   * Make the platform fail the next send the way it fails for `reason` (a 429 with a retry-after
   * for `rate_limited`, a 401 for `auth`, "chat not found" for `not_found` …). Without it the
   * error-classification check is skipped.
   */
  failNextSend?(failure: {
    readonly reason: ChannelSendErrorReason;
    readonly retryAfterMs?: number;
  }): void | Promise<void>;
  /**
   * The reasons `failNextSend` can simulate. Default: `rate_limited`, `network`, `auth`,
   * `not_found`, `forbidden`.
   */
  readonly failureReasons?: readonly ChannelSendErrorReason[];
  /**
   * Make the platform deliver an inbound message to the (started) adapter. Without it the inbound
   * checks (validity, self-message flag, native mentions) are skipped.
   */
  deliverInbound?(request: InboundRequest): void | Promise<void>;
  /** Allowlist entries and senders to run through the identity hooks, on top of built-in samples. */
  readonly identitySamples?: { readonly entries?: readonly string[]; readonly senders?: readonly Sender[] };
  /** How long to wait for an inbound message to arrive, in ms. Default 5000. */
  readonly inboundTimeoutMs?: number;
}

/** Creates a fresh adapter for each check. */
export type MakeAdapter = () => ChannelAdapter | Promise<ChannelAdapter>;

/** The outcome of running one check directly. */
export type CheckOutcome =
  | { readonly status: 'passed' }
  | { readonly status: 'skipped'; readonly reason: string };
