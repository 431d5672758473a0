import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { ModelError } from '../errors/model-error.js';
import type { ModelMessage, ToolResultPart } from '../spec/messages.js';
import type { ModelRequest } from '../spec/request.js';
import type { StreamPart } from '../spec/stream.js';
import { createMockModel } from '../testing/mock-model.js';
import { defineTool } from '../tools/define-tool.js';
import { runToolLoop } from './run-tool-loop.js';

const ask: ModelRequest = {
  system: 'Be useful.',
  messages: [{ role: 'user', content: 'Weather in Paris?' }],
};

function weatherTool(log: string[] = []) {
  return defineTool({
    name: 'get_weather',
    description: 'Weather in a city',
    input: z.object({ city: z.string().min(1) }),
    execute: ({ city }) => {
      log.push(city);
      return { city, sky: 'clear' };
    },
  });
}

const deleteTool = defineTool({
  name: 'delete_files',
  description: 'Delete files',
  input: z.object({ path: z.string() }),
  execute: () => {
    throw new Error('must never run');
  },
});

function resultsOf(messages: readonly ModelMessage[]): ToolResultPart[] {
  return messages.flatMap((m) => (m.role === 'tool' ? [...m.content] : []));
}

describe('the tool loop', () => {
  it('executes tool calls, sends results back and returns the final answer with the transcript', async () => {
    const log: string[] = [];
    const model = createMockModel([
      {
        text: 'Checking.',
        toolCalls: [{ toolName: 'get_weather', input: { city: 'Paris' }, toolCallId: 'c1' }],
      },
      { text: 'Clear skies in Paris.', usage: { inputTokens: 30, outputTokens: 5 } },
    ]);
    const result = await runToolLoop({ model, request: ask, tools: [weatherTool(log)] });

    expect(log).toEqual(['Paris']);
    expect(result.text).toBe('Clear skies in Paris.');
    expect(result.stopReason).toBe('end');
    expect(result.messages).toEqual([
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
            output: { city: 'Paris', sky: 'clear' },
          },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'Clear skies in Paris.' }] },
    ]);
    // The second call saw the whole conversation, system prompt included.
    expect(model.requests[1]?.messages).toEqual([...ask.messages, ...result.messages.slice(0, 2)]);
    expect(model.requests[1]?.system).toBe('Be useful.');
    expect(result.usage.inputTokens).toBe(10 + 30);
    expect(result.steps.map((s) => s.toolExecutions.length)).toEqual([1, 0]);
  });

  it('answers invalid tool input with a tool error instead of throwing, so the model can correct itself', async () => {
    const log: string[] = [];
    const model = createMockModel([
      { toolCalls: [{ toolName: 'get_weather', input: { town: 'Paris' } }] },
      { toolCalls: [{ toolName: 'get_weather', input: { city: 'Paris' } }] },
      { text: 'Done.' },
    ]);
    const result = await runToolLoop({ model, request: ask, tools: [weatherTool(log)] });
    const [first, second] = resultsOf(result.messages);
    expect(first).toMatchObject({
      isError: true,
      output: expect.stringMatching(/Invalid input for tool "get_weather": city: /),
    });
    expect(second?.isError).toBeUndefined();
    expect(log).toEqual(['Paris']);
  });

  it('hides tools outside the policy from the model and refuses calls to them without running them', async () => {
    const model = createMockModel([
      { toolCalls: [{ toolName: 'delete_files', input: { path: '/' } }] },
      { text: 'Sorry.' },
    ]);
    const result = await runToolLoop({
      model,
      request: ask,
      tools: [weatherTool(), deleteTool],
      policy: (name) => name !== 'delete_files',
    });
    expect(model.requests[0]?.tools?.map((t) => t.name)).toEqual(['get_weather']);
    const [refusal] = resultsOf(result.messages);
    expect(refusal).toMatchObject({
      isError: true,
      output: 'Tool "delete_files" is not available. Available tools: get_weather.',
    });
  });

  it('accepts a policy object with isAllowed and sends no tools at all when none is allowed', async () => {
    const model = createMockModel([{ text: 'ok' }]);
    await runToolLoop({ model, request: ask, tools: [weatherTool()], policy: { isAllowed: () => false } });
    expect(model.requests[0]?.tools).toBeUndefined();
  });

  it('answers a call to an unknown tool like a refused one', async () => {
    const model = createMockModel([
      { toolCalls: [{ toolName: 'launch_rockets', input: {} }] },
      { text: 'ok' },
    ]);
    const result = await runToolLoop({ model, request: ask, tools: [weatherTool()] });
    expect(resultsOf(result.messages)[0]).toMatchObject({
      isError: true,
      output: expect.stringMatching(/not available/),
    });
  });

  it('sends a thrown tool error back to the model as a failed result', async () => {
    const flaky = defineTool({
      name: 'flaky',
      description: 'Fails',
      input: z.object({}),
      execute: () => {
        throw new Error('upstream timed out');
      },
    });
    const model = createMockModel([
      { toolCalls: [{ toolName: 'flaky', input: {} }] },
      { text: 'It failed.' },
    ]);
    const result = await runToolLoop({ model, request: ask, tools: [flaky] });
    expect(resultsOf(result.messages)[0]).toMatchObject({
      isError: true,
      output: 'Tool "flaky" failed: upstream timed out',
    });
    expect(result.text).toBe('It failed.');
  });

  it('answers tool input that was not valid JSON with a tool error', async () => {
    const model = createMockModel([
      {
        parts: [
          { type: 'tool-call-start', toolCallId: 'c1', toolName: 'get_weather' },
          {
            type: 'tool-call-end',
            toolCallId: 'c1',
            toolName: 'get_weather',
            input: '{city: Paris',
            inputParseError: 'bad JSON',
          },
          { type: 'finish', stopReason: 'tool_calls', usage: { inputTokens: 1, outputTokens: 1 } },
        ],
      },
      { text: 'ok' },
    ]);
    const result = await runToolLoop({ model, request: ask, tools: [weatherTool()] });
    expect(resultsOf(result.messages)[0]).toMatchObject({
      isError: true,
      output: expect.stringMatching(/not valid JSON/),
    });
    expect(result.messages[0]).toMatchObject({ content: [{ type: 'tool-call', input: {} }] });
  });

  it('stops after maxSteps model calls, with the last calls answered so the transcript stays valid', async () => {
    const model = createMockModel(() => ({
      toolCalls: [{ toolName: 'get_weather', input: { city: 'Paris' } }],
    }));
    const result = await runToolLoop({ model, request: ask, tools: [weatherTool()], maxSteps: 3 });
    expect(model.calls).toHaveLength(3);
    expect(result.stopReason).toBe('max_steps');
    expect(result.messages.at(-1)?.role).toBe('tool');
  });

  it('asks steer between steps and sends the steered user messages with the next call', async () => {
    const model = createMockModel([
      { toolCalls: [{ toolName: 'get_weather', input: { city: 'Paris' } }] },
      { text: 'Paris and Lyon are clear.' },
    ]);
    const queue: ModelMessage[][] = [[{ role: 'user', content: 'Also Lyon please.' }]];
    const result = await runToolLoop({
      model,
      request: ask,
      tools: [weatherTool()],
      steer: () => queue.shift(),
    });
    expect(model.requests[1]?.messages.at(-1)).toEqual({ role: 'user', content: 'Also Lyon please.' });
    expect(result.messages.map((m) => m.role)).toEqual(['assistant', 'tool', 'user', 'assistant']);
  });

  it('continues after the model finished when steer brings a new message', async () => {
    const model = createMockModel([{ text: 'First answer.' }, { text: 'Second answer.' }]);
    let steered = false;
    const result = await runToolLoop({
      model,
      request: ask,
      steer: async () => {
        if (steered) return [];
        steered = true;
        return [{ role: 'user', content: 'One more thing.' }];
      },
    });
    expect(result.text).toBe('Second answer.');
    expect(model.calls).toHaveLength(2);
  });

  it('rejects steered messages that are not user messages', async () => {
    const model = createMockModel([{ text: 'a' }, { text: 'b' }]);
    const steer = () => [{ role: 'assistant', content: 'injected' }] as ModelMessage[];
    await expect(runToolLoop({ model, request: ask, steer })).rejects.toThrow(/steer\(\) result\.0\.role/);
  });

  it('passes every stream part to onPart with its step index', async () => {
    const model = createMockModel([
      { toolCalls: [{ toolName: 'get_weather', input: { city: 'Paris' } }] },
      { text: 'ok' },
    ]);
    const seen: [number, StreamPart['type']][] = [];
    await runToolLoop({
      model,
      request: ask,
      tools: [weatherTool()],
      onPart: (part, step) => seen.push([step, part.type]),
    });
    expect(seen).toEqual([
      [0, 'tool-call-start'],
      [0, 'tool-call-delta'],
      [0, 'tool-call-delta'],
      [0, 'tool-call-end'],
      [0, 'finish'],
      [1, 'text-delta'],
      [1, 'finish'],
    ]);
  });

  it('rejects promptly with "aborted" when aborted during a tool, and runs no further tools', async () => {
    const controller = new AbortController();
    const ran: string[] = [];
    let toolSignal: AbortSignal | undefined;
    const slow = defineTool({
      name: 'slow',
      description: 'Never finishes on its own',
      input: z.object({ n: z.number() }),
      execute: ({ n }, { signal }) => {
        ran.push(`slow ${n}`);
        toolSignal = signal;
        controller.abort();
        return new Promise(() => {});
      },
    });
    const model = createMockModel([
      {
        toolCalls: [
          { toolName: 'slow', input: { n: 1 } },
          { toolName: 'slow', input: { n: 2 } },
        ],
      },
      { text: 'never' },
    ]);
    const error = await runToolLoop({ model, request: ask, tools: [slow], signal: controller.signal }).catch(
      (e: unknown) => e,
    );
    expect(ModelError.isInstance(error) && error.kind).toBe('aborted');
    expect(ran).toEqual(['slow 1']);
    expect(toolSignal?.aborted).toBe(true);
    expect(model.calls).toHaveLength(1);
  });

  it('rejects with "aborted" when aborted while the model streams', async () => {
    const controller = new AbortController();
    const model = createMockModel([{ text: 'Thinking', stall: true }]);
    const run = runToolLoop({
      model,
      request: ask,
      signal: controller.signal,
      onPart: () => controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ kind: 'aborted' });
  });

  it('propagates a model failure as its ModelError', async () => {
    const model = createMockModel([{ error: 'context_overflow' }]);
    await expect(runToolLoop({ model, request: ask })).rejects.toMatchObject({ kind: 'context_overflow' });
  });

  it('validates its options before calling anything', async () => {
    const model = createMockModel([]);
    await expect(runToolLoop({ model, request: ask, maxSteps: 0 })).rejects.toThrow(/options\.maxSteps/);
    await expect(runToolLoop({ model, request: { messages: [] } })).rejects.toThrow(
      /options\.request\.messages/,
    );
    await expect(
      // JavaScript callers can still pass it; the loop refuses rather than silently ignoring it.
      runToolLoop({
        model,
        request: { ...ask, tools: [{ name: 't', description: 'd', inputSchema: {} }] } as never,
      }),
    ).rejects.toThrow(/options\.request\.tools/);
    await expect(runToolLoop({ model, request: ask, tools: [weatherTool(), weatherTool()] })).rejects.toThrow(
      /duplicate tool name/,
    );
    await expect(runToolLoop({ model, request: ask, policy: 'all' as never })).rejects.toThrow(
      InvalidArgumentError,
    );
    expect(model.calls).toHaveLength(0);
  });
});
