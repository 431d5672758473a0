import { describe, expect, it } from 'vitest';
import { ModelError } from '../errors/model-error.js';
import type { StreamPart } from '../spec/stream.js';
import { createMockModel } from '../testing/mock-model.js';
import { generate } from './generate.js';

const ask = { messages: [{ role: 'user' as const, content: 'hi' }] };

describe('generating a whole answer', () => {
  it('collects text, tool calls, usage and an assistant message ready to append', async () => {
    const model = createMockModel([
      {
        text: ['Let me ', 'check.'],
        toolCalls: [{ toolName: 'get_weather', input: { city: 'Paris' }, toolCallId: 'c1' }],
        usage: { inputTokens: 12, outputTokens: 7 },
      },
    ]);
    const seen: StreamPart['type'][] = [];
    const result = await generate(model, ask, { onPart: (p) => seen.push(p.type) });
    expect(result).toMatchObject({
      text: 'Let me check.',
      stopReason: 'tool_calls',
      usage: { inputTokens: 12, outputTokens: 7 },
      message: {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me check.' },
          { type: 'tool-call', toolCallId: 'c1', toolName: 'get_weather', input: { city: 'Paris' } },
        ],
      },
    });
    expect(seen.at(-1)).toBe('finish');
  });

  it('throws the ModelError of an error part', async () => {
    const error = await generate(createMockModel([{ error: 'auth' }]), ask).catch((e: unknown) => e);
    expect(ModelError.isInstance(error) && error.kind).toBe('auth');
  });

  it('throws a transport ModelError when a model breaks the contract by throwing', async () => {
    const broken = {
      ...createMockModel([]),
      stream: () => ({
        [Symbol.asyncIterator]: () => ({
          next: () => Promise.reject(new Error('bug')),
        }),
      }),
    };
    await expect(generate(broken, ask)).rejects.toMatchObject({ kind: 'transport', afterFirstPart: false });
  });

  it('lets an exception from onPart through unchanged and releases the call', async () => {
    const model = createMockModel([{ text: ['a', 'b'], stall: true }]);
    const bug = new Error('display crashed');
    const error = await generate(model, ask, {
      onPart: () => {
        throw bug;
      },
    }).catch((e: unknown) => e);
    expect(error).toBe(bug);
    expect(model.calls[0]?.options?.signal).toBeUndefined();
  });

  it('refuses something that is not a language model', async () => {
    await expect(generate({ provider: 'x' } as never, ask)).rejects.toThrow(/expected a LanguageModel/);
    await expect(
      generate({ ...createMockModel([]), specificationVersion: 'v9' } as never, ask),
    ).rejects.toThrow(/supports "v1"/);
  });
});
