import { describe, expect, it } from 'vitest';
import { generate } from '../generate/generate.js';
import type { ModelRequest } from '../spec/request.js';
import { createMockModel } from '../testing/mock-model.js';
import { type FallbackEvent, withFallback } from './with-fallback.js';

const ask: ModelRequest = { messages: [{ role: 'user', content: 'hi' }] };

describe('failing over between models', () => {
  it.each(['rate_limited', 'overloaded', 'auth', 'transport'] as const)(
    'moves to the next model on a %s failure and reports which model served',
    async (kind) => {
      const primary = createMockModel([{ error: kind }], { provider: 'anthropic', modelId: 'claude' });
      const backup = createMockModel([{ text: 'from backup' }], { provider: 'ollama', modelId: 'llama' });
      const events: FallbackEvent[] = [];
      const result = await generate(
        withFallback([primary, backup], { onFallback: (e) => events.push(e) }),
        ask,
      );
      expect(result.text).toBe('from backup');
      expect(result.response).toMatchObject({ provider: 'ollama', modelId: 'llama' });
      expect(events.map((e) => [e.from.provider, e.to.provider, e.error.kind])).toEqual([
        ['anthropic', 'ollama', kind],
      ]);
    },
  );

  it.each(['context_overflow', 'invalid_request'] as const)(
    'does not fall back on %s by default',
    async (kind) => {
      const backup = createMockModel([{ text: 'unused' }]);
      const model = withFallback([createMockModel([{ error: kind }]), backup]);
      await expect(generate(model, ask)).rejects.toMatchObject({ kind });
      expect(backup.calls).toHaveLength(0);
    },
  );

  it('keeps the first model once it streamed a part, even if it fails later', async () => {
    const backup = createMockModel([{ text: 'unused' }]);
    const model = withFallback([createMockModel([{ text: 'half', error: 'overloaded' }]), backup]);
    await expect(generate(model, ask)).rejects.toMatchObject({ kind: 'overloaded', afterFirstPart: true });
    expect(backup.calls).toHaveLength(0);
  });

  it('reports every model tried when all fail', async () => {
    const model = withFallback([
      createMockModel([{ error: 'rate_limited' }], { provider: 'a' }),
      createMockModel([{ error: 'overloaded' }], { provider: 'b' }),
    ]);
    const error = await generate(model, ask).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'overloaded' });
    expect((error as Error).message).toMatch(/a:mock-model: rate_limited, b:mock-model: overloaded/);
  });

  it('skips a model that cannot use tools for a request with tools', async () => {
    const noTools = createMockModel([{ text: 'unused' }], { capabilities: { tools: false } });
    const withTools = createMockModel([{ text: 'ok' }]);
    const request: ModelRequest = {
      ...ask,
      tools: [{ name: 't', description: 'd', inputSchema: { type: 'object' } }],
    };
    expect((await generate(withFallback([noTools, withTools]), request)).text).toBe('ok');
    expect(noTools.calls).toHaveLength(0);
  });

  it('does not fall back when the call is aborted', async () => {
    const backup = createMockModel([{ text: 'unused' }]);
    const controller = new AbortController();
    controller.abort();
    const model = withFallback([createMockModel([{ text: 'x' }]), backup]);
    await expect(generate(model, ask, { signal: controller.signal })).rejects.toMatchObject({
      kind: 'aborted',
    });
    expect(backup.calls).toHaveLength(0);
  });

  it('rejects an empty list and unknown kinds', () => {
    expect(() => withFallback([])).toThrow(/models/);
    expect(() => withFallback([createMockModel([])], { fallbackOn: ['aborted'] })).toThrow(
      /policy\.fallbackOn/,
    );
  });
});
