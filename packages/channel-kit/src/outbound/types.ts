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
  /** Text to send (already chunked to the channel's `textChunkLimit` by the dispatcher). */
  readonly text: string;
  /** How `text` is formatted. Defaults to `plain`. */
  readonly format?: 'plain' | 'markdown';
  /** Attachments, for channels that declare `media`. */
  readonly media?: readonly OutboundMedia[];
  /** Platform id of the message to reply to (quote), for channels that declare `replies`. */
  readonly replyToMessageId?: string;
}
