import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { ModelError } from '../errors/model-error.js';
import { generate } from '../generate/generate.js';
import { createProviderRegistry } from '../registry/create-provider-registry.js';
import type { ModelRequest } from '../spec/request.js';
import { validateStream } from '../stream/validate-stream.js';
import { providerConformance } from '../testing/conformance.js';
import type { ConformanceScenario } from '../testing/conformance-checks.js';
import { type ReplayServer, startReplayServer } from '../testing/replay-server.js';
import { runToolLoop } from '../tool-loop/run-tool-loop.js';
import { defineTool } from '../tools/define-tool.js';
import { openaiCompatible } from './provider.js';

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer(new URL('./__fixtures__/', import.meta.url));
});
afterAll(() => server.close());

const model = (fixture: string, options: { stall?: boolean; chunkSize?: number } = {}) =>
  openaiCompatible({
    name: 'openai',
    baseURL: server.baseURL(fixture, options),
    apiKey: 'sk-test',
  }).languageModel('gpt-4o-mini');

const errorFixtures = {
  rate_limited: 'rate-limited',
  overloaded: 'overloaded',
  auth: 'unauthorized',
  context_overflow: 'context-overflow',
  invalid_request: 'bad-request',
  transport: 'bad-gateway',
} as const;

function fixtureFor(scenario: ConformanceScenario): string {
  switch (scenario.type) {
    case 'text':
      return 'text';
    case 'tool-call':
      return 'tool-call';
    case 'stall':
      return 'stall';
    case 'error':
      if (scenario.afterFirstPart)
        return scenario.kind === 'overloaded' ? 'mid-stream-overloaded' : 'mid-stream-error';
      return errorFixtures[scenario.kind];
  }
}

providerConformance({
  name: 'the OpenAI-compatible provider keeps the provider contract',
  makeModel: (scenario) => model(fixtureFor(scenario), { stall: scenario.type === 'stall' }),
  errorKinds: ['rate_limited', 'overloaded', 'auth', 'context_overflow', 'invalid_request', 'transport'],
  midStreamErrorKinds: ['overloaded', 'transport'],
  expectRetryAfter: true,
});

const ask: ModelRequest = { messages: [{ role: 'user', content: 'Weather in Paris?' }] };

describe('the OpenAI-compatible provider', () => {
  it('reassembles text split across network chunks, including multi-byte characters', async () => {
    for (const chunkSize of [1, 7, 4096]) {
      const result = await generate(model('text', { chunkSize }), ask);
      expect(result.text).toBe("It's sunny in Paris — 21 °C and clear.");
    }
  });

  it('reports usage, the served model and the response id', async () => {
    const result = await generate(model('text'), ask);
    expect(result.usage).toEqual({ inputTokens: 31, outputTokens: 9, cacheReadTokens: 0 });
    expect(result.response).toEqual({
      provider: 'openai',
      modelId: 'gpt-4o-mini-2024-07-18',
      id: 'chatcmpl-BfX2mQ9ZkT1aV8rN3pLw',
    });
  });

  it('streams parallel tool calls one after the other with their parsed inputs', async () => {
    const result = await generate(model('tool-call'), ask);
    expect(result.toolCalls.map((c) => [c.toolCallId, c.input])).toEqual([
      ['call_Qm3Xv8T1rK2pLw9n', { city: 'Paris' }],
      ['call_Zr8Yp2Wq4Ls6Dn1c', { city: 'Lyon' }],
    ]);
    expect(result.stopReason).toBe('tool_calls');
    expect(result.usage.cacheReadTokens).toBe(64);
  });

  it('treats tool calls that Ollama finishes with "stop" as tool calls', async () => {
    const { ok, parts } = await validateStream(model('ollama-tool-call').stream(ask));
    expect(ok).toBe(true);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', stopReason: 'tool_calls', rawStopReason: 'stop' });
    expect(parts.find((p) => p.type === 'tool-call-end')).toMatchObject({ input: { city: 'Paris' } });
  });

  it('keeps tool arguments that are not valid JSON as raw text with a parse error', async () => {
    const result = await generate(model('malformed-tool-arguments'), ask);
    expect(result.toolCalls[0]).toMatchObject({
      input: '{"city": Paris}',
      inputParseError: expect.any(String),
    });
    // The transcript must stay sendable: vendors reject non-object inputs.
    expect(result.message.content).toEqual([
      { type: 'tool-call', toolCallId: 'call_bad1', toolName: 'get_weather', input: {} },
    ]);
  });

  it('maps finish_reason "length" to max_tokens, skipping keep-alive comments and CRLF line endings', async () => {
    const result = await generate(model('max-tokens', { chunkSize: 5 }), ask);
    expect([result.text, result.stopReason]).toEqual(['Once upon a', 'max_tokens']);
  });

  it('reports a malformed JSON chunk as a transport error after the first part', async () => {
    const error = await generate(model('malformed-chunk'), ask).catch((e: unknown) => e);
    expect(ModelError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'transport', afterFirstPart: true, retryable: true });
    expect((error as Error).message).toContain('malformed stream chunk');
  });

  it('reports a stream cut off before the finish as a transport error', async () => {
    const error = await generate(model('truncated'), ask).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'transport', afterFirstPart: true });
  });

  it('reports 429 with the retry-after delay and the HTTP status', async () => {
    const error = await generate(model('rate-limited'), ask).catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: 'rate_limited',
      retryAfterMs: 20_000,
      status: 429,
      afterFirstPart: false,
    });
  });

  it('treats an exhausted quota as an auth failure (waiting will not help; another provider may)', async () => {
    const error = await generate(model('insufficient-quota'), ask).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'auth', retryable: false });
  });

  it('reports a connection failure as a retryable transport error', async () => {
    const closed = openaiCompatible({ name: 'local', baseURL: 'http://127.0.0.1:1/v1' }).languageModel('m');
    const error = await generate(closed, ask).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'transport', retryable: true, provider: 'local' });
  });

  it('sends messages, tools, tool results and options in the chat-completions format', async () => {
    const before = server.requests.length;
    await generate(
      openaiCompatible({
        name: 'vllm',
        baseURL: server.baseURL('text'),
        headers: { 'x-team': 'a' },
      }).languageModel('qwen'),
      {
        system: 'Be brief.',
        messages: [
          { role: 'user', content: 'Weather?' },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: 'Checking.' },
              { type: 'tool-call', toolCallId: 'c1', toolName: 'get_weather', input: { city: 'Paris' } },
            ],
          },
          {
            role: 'tool',
            content: [
              {
                type: 'tool-result',
                toolCallId: 'c1',
                toolName: 'get_weather',
                output: 'boom',
                isError: true,
              },
            ],
          },
        ],
        tools: [
          { name: 'get_weather', description: 'Weather', inputSchema: { type: 'object', properties: {} } },
        ],
        toolChoice: { type: 'tool', toolName: 'get_weather' },
        maxTokens: 100,
        temperature: 0.2,
        stopSequences: ['END'],
        providerOptions: { vllm: { top_k: 5 }, anthropic: { ignored: true } },
      },
    );
    const sent = server.requests[before];
    expect(sent?.path).toBe('/chat/completions');
    expect(sent?.headers['x-team']).toBe('a');
    expect(sent?.headers.authorization).toBeUndefined();
    expect(sent?.body).toEqual({
      model: 'qwen',
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: 'Checking.',
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'Error: boom' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Weather',
            parameters: { type: 'object', properties: {} },
          },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      max_tokens: 100,
      temperature: 0.2,
      stop: ['END'],
      top_k: 5,
    });
  });

  it('runs a tool-using conversation resolved from the registry by "provider:model" id', async () => {
    const registry = createProviderRegistry({
      ollama: openaiCompatible({ name: 'ollama', baseURL: server.baseURL('ollama-tool-call') }),
    });
    const calls: string[] = [];
    const weather = defineTool({
      name: 'get_weather',
      description: 'Weather in a city',
      input: z.object({ city: z.string() }),
      execute: ({ city }) => {
        calls.push(city);
        return { city, sky: 'clear' };
      },
    });
    const result = await runToolLoop({
      model: registry.languageModel('ollama:llama3.1:8b'),
      request: ask,
      tools: [weather],
      maxSteps: 1,
    });
    expect(calls).toEqual(['Paris']);
    expect(result.stopReason).toBe('max_steps');
    expect(result.messages.at(-1)).toEqual({
      role: 'tool',
      content: [
        {
          type: 'tool-result',
          toolCallId: 'call_p3k9v1xq',
          toolName: 'get_weather',
          output: { city: 'Paris', sky: 'clear' },
        },
      ],
    });
  });

  it('rejects a missing name or a baseURL that is not http(s)', () => {
    expect(() => openaiCompatible({ name: 'Ollama!', baseURL: 'http://x' })).toThrow(InvalidArgumentError);
    expect(() => openaiCompatible({ name: 'ollama', baseURL: 'localhost:11434' })).toThrow(
      /options\.baseURL/,
    );
  });
});
