/** Options for {@link stripMentions}: which mentions are the bot's. Give at least one. */
export interface StripMentionsOptions {
  /** The bot's username without `@` (Telegram `my_bot`): removes `@my_bot`, case-insensitively. */
  readonly botUsername?: string;
  /**
   * The bot's user id: removes the `<@id>`, `<@!id>` and `<@id|label>` tokens (Discord, Slack)
   * and `@id` (WhatsApp-style phone mentions).
   */
  readonly botId?: string;
  /**
   * More mention forms to remove. A string is literal text, matched case-insensitively (e.g.
   * `"hey claw"`); a RegExp is used as written (matched globally).
   */
  readonly patterns?: readonly (string | RegExp)[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function nonEmpty(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(
      `stripMentions: ${name} must be a non-empty string when given, got ${JSON.stringify(value)}`,
    );
  }
  return value.trim();
}

/**
 * Remove the bot's own mentions from message text, so the agent sees `what is the weather` rather
 * than `@weather_bot what is the weather`. Only the bot's mentions are removed; other users'
 * mentions stay. The whitespace around a removed mention collapses to one space, a `:` or `,`
 * left at the start of the text (`@bot: hi`) is dropped, and the result is trimmed.
 *
 * `@name` matches only as a whole handle (`@botty` is not `@bot`).
 *
 * @throws {TypeError} when `botUsername` or `botId` is given but empty, or a pattern is neither a
 *   string nor a RegExp.
 */
export function stripMentions(text: string, options: StripMentionsOptions): string {
  if (typeof text !== 'string')
    throw new TypeError(`stripMentions: text must be a string, got ${typeof text}`);
  const username = nonEmpty(options?.botUsername, 'botUsername')?.replace(/^@/, '');
  const botId = nonEmpty(options?.botId, 'botId');
  const sources: string[] = [];
  // A handle ends where handle characters end: `@bot` must not match inside `@botty` or `@bot.com`-like ids.
  const handleEnd = '(?![\\p{L}\\p{N}_.-]*[\\p{L}\\p{N}_])';
  if (username !== undefined) sources.push(`@${escapeRegExp(username)}${handleEnd}`);
  if (botId !== undefined) {
    sources.push(`<@!?${escapeRegExp(botId)}(?:\\|[^>]*)?>`);
    sources.push(`@${escapeRegExp(botId)}${handleEnd}`);
  }
  const matchers: RegExp[] = [];
  // Each matcher takes the horizontal whitespace around a mention with it, so only the gap the
  // mention leaves is collapsed; indentation and spacing elsewhere in the text are untouched.
  const around = (source: string, flags: string) => new RegExp(`[^\\S\\n]*(?:${source})[^\\S\\n]*`, flags);
  for (const [index, pattern] of (options?.patterns ?? []).entries()) {
    if (typeof pattern === 'string') {
      if (pattern.trim() !== '') sources.push(escapeRegExp(pattern.trim()));
    } else if (pattern instanceof RegExp) {
      matchers.push(
        around(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`),
      );
    } else {
      throw new TypeError(
        `stripMentions: patterns.${index} must be a string or a RegExp, got ${typeof pattern}`,
      );
    }
  }
  if (sources.length > 0) matchers.unshift(around(sources.join('|'), 'giu'));
  let result = text;
  for (const matcher of matchers) {
    result = result.replace(matcher, (match: string, ...args: unknown[]) => {
      const offset = args.find((arg) => typeof arg === 'number') as number;
      const before = result[offset - 1];
      const after = result[offset + match.length];
      // Keep the words on both sides apart; at a line start or end nothing needs to stay.
      return before === undefined || before === '\n' || after === undefined || after === '\n' ? '' : ' ';
    });
  }
  return result.trim().replace(/^[:,]\s*/, '');
}
