import { describe, expect, it } from 'vitest';
import { ModelError } from '../errors/model-error.js';
import { generate } from '../generate/generate.js';
import { validateStream } from '../stream/validate-stream.js';
import { providerConformance } from './conformance.js';
import { createMockModel, type MockResponse } from './mock-model.js';

const scenarioResponses = {
  text: { text: ['Sunny', ' in Paris.'] },
  'tool-call': { toolCalls: [{ toolName: 'get_weather', input: { city: 'Paris' } }] },
  stall: { text: 'Let me think', stall: true },
} satisfies Record<string, MockResponse>;

providerConformance({
  name: 'the mock model keeps the provider contract',
  makeModel: (scenario) =>
    createMockModel(() =>
      scenario.type === 'error'
        ? {
            ...(scenario.afterFirstPart ? { text: 'partial' } : {}),
            error: scenario.kind,
            retryAfterMs: 1000,
          }
        : scenarioResponses[scenario.type],
    ),
  errorKinds: ['rate_limited', 'overloaded', 'auth', 'context_overflow', 'invalid_request', 'transport'],
  midStreamErrorKinds: ['overloaded', 'transport'],
  expectRetryAfter: true,
});

describe('the mock model', () => {
  it('answers each call with the next scripted response and records every request', async () => {
    const model = createMockModel([{ text: 'one' }, { text: 'two' }]);
    const first = await generate(model, { messages: [{ role: 'user', content: 'a' }] });
    const second = await generate(model, { messages: [{ role: 'user', content: 'b' }] });
    expect([first.text, second.text]).toEqual(['one', 'two']);
    expect(model.requests.map((r) => r.messages[0]?.content)).toEqual(['a', 'b']);
  });

  it('fails a call beyond the end of its script with an invalid_request error naming the call', async () => {
    const model = createMockModel([{ text: 'only' }]);
    await generate(model, { messages: [{ role: 'user', content: 'a' }] });
    const error = await generate(model, { messages: [{ role: 'user', content: 'b' }] }).catch(
      (e: unknown) => e,
    );
    expect(ModelError.isInstance(error) && error.kind).toBe('invalid_request');
    expect((error as Error).message).toContain('call 2');
  });

  it('streams scripted tool calls with deltas that add up to the input', async () => {
    const input = { city: 'Zürich', days: [1, 2] };
    const model = createMockModel([{ text: 'Checking.', toolCalls: [{ toolName: 'weather', input }] }]);
    const { ok, parts } = await validateStream(model.stream({ messages: [{ role: 'user', content: 'x' }] }));
    expect(ok).toBe(true);
    const deltas = parts.flatMap((p) => (p.type === 'tool-call-delta' ? [p.inputTextDelta] : [])).join('');
    expect(JSON.parse(deltas)).toEqual(input);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', stopReason: 'tool_calls' });
  });

  it('rejects a script whose error is not a ModelError kind', () => {
    expect(() => createMockModel([{ error: 'exploded' as never }])).toThrow(
      /script\.0\.error.*not a ModelError kind/,
    );
  });

  it('passes raw parts through unchecked so consumers can be tested against broken streams', async () => {
    const model = createMockModel([{ parts: [{ type: 'text-delta', text: 'no finish' }] }]);
    const result = await validateStream(model.stream({ messages: [{ role: 'user', content: 'x' }] }));
    // The guard still closes a stream that ends without finish, with a transport error.
    expect(result.parts.at(-1)).toMatchObject({
      type: 'error',
      error: { kind: 'transport', afterFirstPart: true },
    });
  });
});
