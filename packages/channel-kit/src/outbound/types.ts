/** A media attachment to send. */
export interface OutboundMedia {
  /** What kind of media this is. */
  readonly kind: 'image' | 'audio' | 'video' | 'file';
  /** Where the adapter can fetch it: an `https:`, `file:` or `data:` URL. */
  readonly url: string;
  /** MIME type, when known. */
  readonly mimeType?: string;
  /** File name shown to the user, when the platform supports one. */
  readonly fileName?: string;
  /** Caption or alt text. */
  readonly caption?: string;
}

/** One message the core asks an adapter to send. The destination is always a separate `ReplyTarget`. */
export interface OutboundMessage {
  /**
   * Text to send, already chunked to the channel's `textChunkLimit` by the dispatcher. May be
   * empty only when `media` is given.
   */
  readonly text: string;
  /**
   * How `text` is formatted. Defaults to `plain`. The dispatcher sends `markdown` only to
   * channels that declare `markdown`; an adapter converts it to the platform's dialect.
   */
  readonly format?: 'plain' | 'markdown';
  /** Attachments, for channels that declare `media`. A caption, when wanted, goes on the first. */
  readonly media?: readonly OutboundMedia[];
  /**
   * Platform id of the message to reply to (quote), for channels that declare `replies`. The
   * dispatcher sets it from `ReplyTarget.replyToMessageId` according to the reply-to mode (e.g.
   * only on the first part of an answer); adapters read only this field, never the target's.
   */
  readonly replyToMessageId?: string;
}
