import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readServerSentEvents, type ServerSentEvent } from './server-sent-events.js';

async function parse(chunks: Uint8Array[]): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  async function* body() {
    yield* chunks;
  }
  for await (const event of readServerSentEvents(body())) events.push(event);
  return events;
}

function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let last = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(last, point));
    last = point;
  }
  return chunks;
}

// Data lines: any text without line breaks (including multi-byte characters and emoji).
const line = fc.string({ unit: 'grapheme', maxLength: 20 }).filter((s) => !/[\r\n]/.test(s));
const event = fc.record({
  event: fc.option(fc.constantFrom('message_start', 'content_block_delta', 'error'), { nil: undefined }),
  data: fc.array(line, { minLength: 1, maxLength: 3 }),
});

describe('reading server-sent events', () => {
  it('yields the same events however the body is split into chunks and whatever line endings it uses', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(event, { maxLength: 6 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (events, eol, cuts) => {
          const text = events
            .map(
              (e) =>
                `${e.event ? `event: ${e.event}${eol}` : ''}${e.data.map((d) => `data: ${d}${eol}`).join('')}${eol}`,
            )
            .join(`: keep-alive${eol}`);
          const bytes = new TextEncoder().encode(text);
          const parsed = await parse(split(bytes, cuts));
          expect(parsed.map((p) => ({ event: p.event, data: p.data }))).toEqual(
            events.map((e) => ({ event: e.event, data: e.data.join('\n') })),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('reading server-sent events, by example', () => {
  it('dispatches a last event that is not followed by a blank line', async () => {
    const events = await parse([new TextEncoder().encode('data: [DONE]')]);
    expect(events).toEqual([{ event: undefined, data: '[DONE]', id: undefined }]);
  });

  it('keeps the value after "data:" without a space and ignores comment lines', async () => {
    const events = await parse([new TextEncoder().encode(': ping\ndata:{"a":1}\nid: 7\n\n')]);
    expect(events).toEqual([{ event: undefined, data: '{"a":1}', id: '7' }]);
  });
});
