import { describe, expect, it } from 'vitest';
import { ModelError } from '../errors/model-error.js';
import type { StreamPart } from '../spec/stream.js';
import { guardStream } from './guard-stream.js';
import { validateStream } from './validate-stream.js';

const context = { provider: 'p', modelId: 'm' };

describe('a guarded stream', () => {
  it('turns an exception after some parts into a transport error marked afterFirstPart', async () => {
    const { ok, parts } = await validateStream(
      guardStream(async function* () {
        yield { type: 'text-delta', text: 'a' };
        throw new Error('reset');
      }, context),
    );
    expect(ok).toBe(true);
    expect(parts.at(-1)).toMatchObject({
      type: 'error',
      error: { kind: 'transport', afterFirstPart: true, provider: 'p' },
    });
  });

  it('marks a ModelError yielded after parts as afterFirstPart', async () => {
    const { parts } = await validateStream(
      guardStream(async function* () {
        yield { type: 'text-delta', text: 'a' };
        yield { type: 'error', error: new ModelError('busy', { kind: 'overloaded', provider: 'p' }) };
      }, context),
    );
    expect(parts.at(-1)).toMatchObject({ error: { kind: 'overloaded', afterFirstPart: true } });
  });

  it('ends promptly with "aborted" when the signal fires while the source is blocked', async () => {
    const controller = new AbortController();
    let sourceSignal: AbortSignal | undefined;
    const stream = guardStream(
      async function* (signal) {
        sourceSignal = signal;
        yield { type: 'text-delta', text: 'a' };
        await new Promise(() => {}); // never resolves: only the guard can end this
      },
      { ...context, signal: controller.signal },
    );
    const parts: StreamPart[] = [];
    for await (const part of stream) {
      parts.push(part);
      if (parts.length === 1) controller.abort();
    }
    expect(parts.at(-1)).toMatchObject({ type: 'error', error: { kind: 'aborted', afterFirstPart: true } });
    expect(sourceSignal?.aborted).toBe(true);
  });

  it('cancels the source when the consumer stops early', async () => {
    let sourceSignal: AbortSignal | undefined;
    let closed = false;
    const stream = guardStream(async function* (signal) {
      sourceSignal = signal;
      try {
        yield { type: 'text-delta', text: 'a' };
        yield { type: 'text-delta', text: 'b' };
      } finally {
        closed = true;
      }
    }, context);
    for await (const _part of stream) break;
    await Promise.resolve();
    expect(sourceSignal?.aborted).toBe(true);
    expect(closed).toBe(true);
  });

  it('drops anything the source yields after its finish', async () => {
    const { ok, parts } = await validateStream(
      guardStream(async function* () {
        yield { type: 'finish', stopReason: 'end', usage: { inputTokens: 0, outputTokens: 0 } };
        yield { type: 'text-delta', text: 'late' };
      }, context),
    );
    expect(ok).toBe(true);
    expect(parts).toHaveLength(1);
  });
});
