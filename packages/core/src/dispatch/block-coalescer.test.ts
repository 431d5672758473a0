import { describe, expect, it } from 'vitest';
import { createBlockCoalescer } from './block-coalescer.js';
import { ReplyDispatchError } from './reply-dispatch-error.js';
import { defaultRetryPolicy, retryDelay } from './retry.js';

function collect(options: { minChars?: number; maxChars?: number; idleMs?: number } = {}) {
  const blocks: string[] = [];
  let time = 0;
  const waits: { until: number; resolve: () => void }[] = [];
  const coalescer = createBlockCoalescer({
    ...options,
    onBlock: (b) => blocks.push(b),
    now: () => time,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        const entry = { until: time + ms, resolve };
        waits.push(entry);
        signal?.addEventListener('abort', () => reject(signal.reason));
      }),
  });
  const advance = async (ms: number) => {
    time += ms;
    for (const w of waits.splice(0)) {
      if (w.until <= time) w.resolve();
      else waits.push(w);
    }
    await new Promise((r) => setImmediate(r));
  };
  return { blocks, coalescer, advance };
}

describe('block coalescer', () => {
  it('holds back fragments shorter than minChars until the end', () => {
    const { blocks, coalescer } = collect({ minChars: 50, maxChars: 100 });
    coalescer.write('Short.\n\nAlso short.');
    expect(blocks).toEqual([]);
    coalescer.end();
    expect(blocks).toEqual(['Short.\n\nAlso short.']);
  });

  it('sends a finished paragraph once at least minChars are buffered', () => {
    const { blocks, coalescer } = collect({ minChars: 10, maxChars: 100 });
    coalescer.write('A first paragraph.\n\nThe second one');
    expect(blocks).toEqual(['A first paragraph.']);
    expect(coalescer.buffered).toBe('The second one'.length);
  });

  it('never sends a block longer than maxChars, cutting at the best boundary', () => {
    const { blocks, coalescer } = collect({ minChars: 5, maxChars: 40 });
    const text = 'One sentence here. Another sentence follows it. And a third sentence to finish the thing.';
    for (const word of text.split(/(?<= )/)) coalescer.write(word);
    coalescer.end();
    expect(blocks.every((b) => b.length <= 40)).toBe(true);
    expect(blocks.join(' ')).toBe(text);
    expect(blocks[0]).toBe('One sentence here.');
  });

  it('closes and reopens a code fence longer than a block', () => {
    const { blocks, coalescer } = collect({ minChars: 5, maxChars: 40 });
    coalescer.write('```ts\nconst a = 1;\nconst b = 2;\nconst c = 3;\nconst d = 4;\n```');
    coalescer.end();
    expect(blocks.length).toBeGreaterThan(1);
    expect(blocks.every((b) => b.length <= 40)).toBe(true);
    for (const block of blocks) {
      expect(block.startsWith('```ts\n'), block).toBe(true);
      expect(block.endsWith('```'), block).toBe(true);
    }
    const code = blocks.map((b) => b.replace(/^```ts\n/, '').replace(/\n?```$/, '')).join('\n');
    expect(code).toBe('const a = 1;\nconst b = 2;\nconst c = 3;\nconst d = 4;');
  });

  it('does not cut a paragraph break inside a code fence', () => {
    const { blocks, coalescer } = collect({ minChars: 5, maxChars: 200 });
    coalescer.write('Intro text:\n```\nline one\n\nline two\n');
    expect(blocks).toEqual([]);
    coalescer.write('```\n\nAfter');
    expect(blocks).toEqual(['Intro text:\n```\nline one\n\nline two\n```']);
    expect(coalescer.buffered).toBe('After'.length);
  });

  it('flushes the buffer after an idle gap when it holds at least minChars', async () => {
    const { blocks, coalescer, advance } = collect({ minChars: 5, maxChars: 100, idleMs: 300 });
    coalescer.write('Some text');
    await advance(200);
    coalescer.write(' more');
    await advance(200);
    expect(blocks).toEqual([]); // the pause was broken by new text
    await advance(100);
    expect(blocks).toEqual(['Some text more']);
  });

  it('keeps a too-short buffer through an idle gap', async () => {
    const { blocks, coalescer, advance } = collect({ minChars: 50, maxChars: 100, idleMs: 300 });
    coalescer.write('tiny');
    await advance(1000);
    expect(blocks).toEqual([]);
    coalescer.end();
    expect(blocks).toEqual(['tiny']);
  });

  it('never splits a surrogate pair on a hard cut', () => {
    const { blocks, coalescer } = collect({ minChars: 1, maxChars: 5 });
    coalescer.write('abcd😀😀😀');
    coalescer.end();
    expect(blocks.join('')).toBe('abcd😀😀😀');
    const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    for (const block of blocks) expect(loneSurrogate.test(block), block).toBe(false);
  });

  it('drops the buffer on abort and refuses writes after the end', () => {
    const { blocks, coalescer } = collect();
    coalescer.write('never sent');
    coalescer.abort();
    coalescer.end();
    expect(blocks).toEqual([]);
    expect(() => coalescer.write('x')).toThrow(ReplyDispatchError);
  });

  it('rejects invalid settings', () => {
    expect(() => createBlockCoalescer({ onBlock: () => {}, maxChars: 1 })).toThrow(/maxChars/);
    expect(() => createBlockCoalescer({ onBlock: 'x' as never })).toThrow(/onBlock/);
  });
});

describe('retry delay', () => {
  const policy = { ...defaultRetryPolicy, baseDelayMs: 100, maxDelayMs: 1000, jitter: 0 };

  it('doubles from the base delay and stops at the maximum', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(policy, n, undefined, () => 0.5))).toEqual([
      100, 200, 400, 800, 1000,
    ]);
  });

  it('waits at least retryAfterMs, even above the maximum', () => {
    expect(retryDelay(policy, 1, 5000, () => 0.5)).toBe(5000);
    expect(retryDelay(policy, 3, 50, () => 0.5)).toBe(400);
  });

  it('spreads by at most the jitter fraction and stays within bounds', () => {
    const jittered = { ...policy, jitter: 0.2 };
    expect(retryDelay(jittered, 2, undefined, () => 0)).toBe(160);
    expect(retryDelay(jittered, 2, undefined, () => 0.999999)).toBe(240);
    expect(retryDelay(jittered, 1, undefined, () => 0)).toBe(100); // clamped to the base
  });
});
