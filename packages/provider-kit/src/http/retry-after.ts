/**
 * How long a response asks the client to wait, in milliseconds, from its headers:
 * `retry-after-ms` (milliseconds, sent by Anthropic and OpenAI), else `retry-after` as seconds or
 * an HTTP date. Undefined when neither is present or parseable.
 *
 * @param now Current time in ms since the epoch, for HTTP dates (injectable for tests).
 */
export function parseRetryAfter(
  headers: { get(name: string): string | null } | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return Math.round(value);
  }
  const header = headers.get('retry-after');
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.round(seconds * 1000) : undefined;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
