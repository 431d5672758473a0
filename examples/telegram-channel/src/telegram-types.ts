// The subset of the Telegram Bot API (https://core.telegram.org/bots/api) this adapter uses.

/** A Telegram user or bot. */
export interface TelegramUser {
  readonly id: number;
  readonly is_bot: boolean;
  readonly first_name: string;
  readonly last_name?: string;
  readonly username?: string;
}

/** A chat. Forum supergroups have `is_forum: true`. */
export interface TelegramChat {
  readonly id: number;
  readonly type: 'private' | 'group' | 'supergroup' | 'channel';
  readonly title?: string;
  readonly username?: string;
  readonly is_forum?: boolean;
}

/** A formatting or mention entity; offsets and lengths are in UTF-16 code units. */
export interface TelegramMessageEntity {
  readonly type: string;
  readonly offset: number;
  readonly length: number;
  /** For `text_mention`: the mentioned user (who has no username). */
  readonly user?: TelegramUser;
}

/** A message. */
export interface TelegramMessage {
  readonly message_id: number;
  /** Forum topic (or reply thread) the message belongs to. */
  readonly message_thread_id?: number;
  /** True when the message was sent in a forum topic. */
  readonly is_topic_message?: boolean;
  readonly from?: TelegramUser;
  readonly date: number;
  readonly chat: TelegramChat;
  readonly text?: string;
  readonly caption?: string;
  readonly entities?: readonly TelegramMessageEntity[];
  readonly caption_entities?: readonly TelegramMessageEntity[];
  readonly reply_to_message?: TelegramMessage;
}

/** One update from `getUpdates`. Only `message` is handled. */
export interface TelegramUpdate {
  readonly update_id: number;
  readonly message?: TelegramMessage;
}

/** The envelope of every Bot API response. */
export type TelegramResponse<T> =
  | { readonly ok: true; readonly result: T }
  | {
      readonly ok: false;
      readonly error_code: number;
      readonly description: string;
      readonly parameters?: { readonly retry_after?: number; readonly migrate_to_chat_id?: number };
    };
