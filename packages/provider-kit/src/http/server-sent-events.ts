/** One server-sent event. */
export interface ServerSentEvent {
  /** The `event:` field, or undefined for the default (`message`) event. */
  readonly event: string | undefined;
  /** The `data:` lines, joined with `\n`. */
  readonly data: string;
  /** The `id:` field, when present. */
  readonly id: string | undefined;
}

/**
 * Parse a `text/event-stream` body into events, following the WHATWG rules: lines end with
 * `\n`, `\r\n` or `\r`; `:` lines are comments (keep-alives); consecutive `data:` lines join with
 * `\n`; an empty line dispatches the event. Chunks may split lines and multi-byte characters
 * anywhere. An event not terminated by an empty line when the body ends is still dispatched (some
 * servers omit the last blank line).
 */
export async function* readServerSentEvents(
  body: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>,
): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  let event: string | undefined;
  let id: string | undefined;
  let data: string[] = [];
  let hasData = false;

  function* feed(line: string): Generator<ServerSentEvent> {
    if (line === '') {
      if (hasData) yield { event, data: data.join('\n'), id };
      event = undefined;
      data = [];
      hasData = false;
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') {
      data.push(value);
      hasData = true;
    } else if (field === 'event') event = value;
    else if (field === 'id') id = value;
  }

  const iterable = body as AsyncIterable<Uint8Array>;
  for await (const chunk of iterable) {
    buffer += decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const ch = buffer[i];
      if (ch !== '\n' && ch !== '\r') continue;
      // A trailing '\r' may be the first half of '\r\n': wait for the next chunk to decide.
      if (ch === '\r' && i === buffer.length - 1) break;
      yield* feed(buffer.slice(start, i));
      if (ch === '\r' && buffer[i + 1] === '\n') i++;
      start = i + 1;
    }
    buffer = buffer.slice(start);
  }
  buffer += decoder.decode();
  const lines = buffer.split(/\r\n|\r|\n/);
  for (const line of lines) yield* feed(line);
  yield* feed('');
}
