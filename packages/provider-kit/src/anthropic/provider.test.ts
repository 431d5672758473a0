import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { ModelErrorKind } from '../errors/model-error.js';
import { generate } from '../generate/generate.js';
import { createProviderRegistry } from '../registry/create-provider-registry.js';
import { withRetry } from '../retry/with-retry.js';
import type { ModelRequest } from '../spec/request.js';
import { validateStream } from '../stream/validate-stream.js';
import { providerConformance } from '../testing/conformance.js';
import type { ConformanceScenario } from '../testing/conformance-checks.js';
import { type ReplayServer, startReplayServer } from '../testing/replay-server.js';
import { runToolLoop } from '../tool-loop/run-tool-loop.js';
import { defineTool } from '../tools/define-tool.js';
import { type AnthropicClientLike, anthropic } from './provider.js';

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer(new URL('./__fixtures__/', import.meta.url));
});
afterAll(() => server.close());

const model = (fixture: string, options: { stall?: boolean; chunkSize?: number } = {}) =>
  anthropic({ apiKey: 'sk-ant-test', baseURL: server.baseURL(fixture, options) }).languageModel(
    'claude-sonnet-4-5',
  );

const errorFixtures: Record<Exclude<ModelErrorKind, 'aborted'>, string> = {
  rate_limited: 'rate-limited',
  overloaded: 'overloaded',
  auth: 'unauthorized',
  context_overflow: 'context-overflow',
  invalid_request: 'bad-request',
  transport: 'server-error',
};

function fixtureFor(scenario: ConformanceScenario): string {
  switch (scenario.type) {
    case 'text':
      return 'text';
    case 'tool-call':
      return 'tool-use';
    case 'stall':
      return 'stall';
    case 'error':
      if (scenario.afterFirstPart)
        return scenario.kind === 'overloaded' ? 'mid-stream-overloaded' : 'mid-stream-api-error';
      return errorFixtures[scenario.kind];
  }
}

providerConformance({
  name: 'the Anthropic provider keeps the provider contract',
  makeModel: (scenario) => model(fixtureFor(scenario), { stall: scenario.type === 'stall' }),
  errorKinds: ['rate_limited', 'overloaded', 'auth', 'context_overflow', 'invalid_request', 'transport'],
  midStreamErrorKinds: ['overloaded', 'transport'],
  expectRetryAfter: true,
});

const ask: ModelRequest = { messages: [{ role: 'user', content: 'Weather in Paris?' }] };

describe('the Anthropic provider', () => {
  it('reassembles text split across network chunks, including multi-byte characters', async () => {
    for (const chunkSize of [1, 13, 4096]) {
      const result = await generate(model('text', { chunkSize }), ask);
      expect(result.text).toBe("It's sunny in Paris — 21 °C and clear.");
    }
  });

  it('reports the served model, the message id and usage', async () => {
    const result = await generate(model('text'), ask);
    expect(result.response).toEqual({
      provider: 'anthropic',
      modelId: 'claude-sonnet-4-5-20250929',
      id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
    });
    expect(result.usage).toEqual({
      inputTokens: 25,
      outputTokens: 15,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    });
    expect(result.rawStopReason).toBe('end_turn');
  });

  it('streams tool input JSON as deltas and parses each call at the end of its block', async () => {
    const { ok, parts } = await validateStream(model('tool-use', { chunkSize: 17 }).stream(ask));
    expect(ok).toBe(true);
    const deltas = parts.flatMap((p) =>
      p.type === 'tool-call-delta' && p.toolCallId === 'toolu_01T1x1fJ34qAmk2tNTrN7Up6'
        ? [p.inputTextDelta]
        : [],
    );
    expect(deltas).toEqual(['{"city": "P', 'aris"}']);
    const ends = parts.filter((p) => p.type === 'tool-call-end');
    expect(ends.map((p) => (p.type === 'tool-call-end' ? p.input : undefined))).toEqual([
      { city: 'Paris' },
      { city: 'Lyon' },
    ]);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', stopReason: 'tool_calls' });
  });

  it('counts cached prompt tokens into inputTokens and reports them separately', async () => {
    const result = await generate(model('tool-use'), ask);
    expect(result.usage).toEqual({
      inputTokens: 412 + 2048,
      outputTokens: 89,
      cacheReadTokens: 2048,
      cacheWriteTokens: 0,
    });
    expect(result.text).toBe("I'll check the weather in Paris and Lyon.");
  });

  it('gives a tool call without parameters the input {}', async () => {
    const result = await generate(model('tool-use-no-input'), ask);
    expect(result.toolCalls).toEqual([
      { type: 'tool-call', toolCallId: 'toolu_01Gh7Tr2WqPz9LcV4bNm3XsD', toolName: 'list_cities', input: {} },
    ]);
  });

  it('maps stop_sequence and max_tokens, and skips thinking blocks', async () => {
    expect((await generate(model('stop-sequence'), ask)).stopReason).toBe('stop_sequence');
    const truncated = await generate(model('max-tokens'), ask);
    expect([truncated.text, truncated.stopReason]).toEqual(['Once upon a', 'max_tokens']);
  });

  it('reports 429 as rate_limited with the retry-after delay', async () => {
    const error = await generate(model('rate-limited'), ask).catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 17_000,
      status: 429,
      provider: 'anthropic',
    });
  });

  it('makes exactly one HTTP request per call: retrying is left to withRetry', async () => {
    const before = server.requests.length;
    await generate(model('overloaded'), ask).catch(() => undefined);
    expect(server.requests.length - before).toBe(1);
  });

  it('retries a 529 through withRetry without waiting on real timers', async () => {
    const delays: number[] = [];
    const before = server.requests.length;
    const retried = withRetry(model('overloaded'), {
      maxRetries: 2,
      sleep: async (ms) => {
        delays.push(ms);
      },
      random: () => 0,
    });
    const error = await generate(retried, ask).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'overloaded', status: 529 });
    expect(server.requests.length - before).toBe(3);
    expect(delays).toEqual([500, 1000]);
  });

  it('reports a malformed JSON event and a truncated stream as transport errors after the first part', async () => {
    for (const fixture of ['malformed-chunk', 'truncated']) {
      const { ok, parts } = await validateStream(model(fixture).stream(ask));
      expect(ok).toBe(true);
      expect(parts.at(-1)).toMatchObject({
        type: 'error',
        error: { kind: 'transport', afterFirstPart: true },
      });
    }
  });

  it('reports a refused connection as a transport error', async () => {
    const closed = anthropic({ apiKey: 'k', baseURL: 'http://127.0.0.1:1' }).languageModel(
      'claude-sonnet-4-5',
    );
    const error = await generate(closed, ask).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'transport', afterFirstPart: false });
  });

  it('sends system, merged tool results, tools, tool choice and options in the Messages API format', async () => {
    const before = server.requests.length;
    await generate(model('text'), {
      system: 'Be brief.',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather?' },
            { type: 'image', data: 'iVBORw0KGgo=', mediaType: 'image/png' },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: '' },
            { type: 'tool-call', toolCallId: 'toolu_1', toolName: 'get_weather', input: { city: 'Paris' } },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: 'toolu_1', toolName: 'get_weather', output: { sky: 'clear' } },
          ],
        },
        { role: 'user', content: 'And tomorrow?' },
      ],
      tools: [
        { name: 'get_weather', description: 'Weather', inputSchema: { type: 'object', properties: {} } },
      ],
      toolChoice: 'required',
      temperature: 0.3,
      stopSequences: ['END'],
      providerOptions: { anthropic: { metadata: { user_id: 'u-1' } }, openai: { ignored: true } },
    });
    const sent = server.requests[before];
    expect(sent?.path).toBe('/v1/messages');
    // SDK versions differ in how they send the key (x-api-key or a bearer token).
    expect(`${sent?.headers['x-api-key']} ${sent?.headers.authorization}`).toContain('sk-ant-test');
    expect(sent?.body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      stream: true,
      system: 'Be brief.',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
          ],
        },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: '{"sky":"clear"}' },
            { type: 'text', text: 'And tomorrow?' },
          ],
        },
      ],
      tools: [
        { name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: {} } },
      ],
      tool_choice: { type: 'any' },
      temperature: 0.3,
      stop_sequences: ['END'],
      metadata: { user_id: 'u-1' },
    });
  });

  it('runs a tool-using conversation from a registry id, with the tool executed between two calls', async () => {
    const script = ['tool-use', 'text'];
    let call = 0;
    // A client that points each call at the next recording, as a two-turn conversation would go.
    const client: AnthropicClientLike = {
      messages: {
        create: (body, options) =>
          new Anthropic({
            apiKey: 'k',
            baseURL: server.baseURL(script[call++] ?? 'text'),
            maxRetries: 0,
          }).messages.create(body as Anthropic.MessageCreateParamsStreaming, options),
      },
    };
    const registry = createProviderRegistry({ anthropic: anthropic({ client }) });
    const seen: string[] = [];
    const weather = defineTool({
      name: 'get_weather',
      description: 'Weather in a city',
      input: z.object({ city: z.string() }),
      execute: ({ city }) => {
        seen.push(city);
        return `${city}: clear`;
      },
    });
    const result = await runToolLoop({
      model: registry.languageModel('anthropic:claude-sonnet-4-5'),
      request: ask,
      tools: [weather],
    });
    expect(seen).toEqual(['Paris', 'Lyon']);
    expect(result.text).toBe("It's sunny in Paris — 21 °C and clear.");
    expect(result.steps.map((s) => s.stopReason)).toEqual(['tool_calls', 'end']);
    expect(result.stopReason).toBe('end');
  });

  it('accepts an SDK client as is', () => {
    const client: AnthropicClientLike = new Anthropic({ apiKey: 'k' });
    expect(anthropic({ client }).languageModel('claude-haiku-4-5').provider).toBe('anthropic');
  });

  it('rejects malformed options', () => {
    expect(() => anthropic({ defaultMaxTokens: 0 })).toThrow(InvalidArgumentError);
    expect(() => anthropic({ client: {} as AnthropicClientLike })).toThrow(/options\.client/);
    expect(() => anthropic().languageModel('')).toThrow(/modelId/);
  });
});
