import { describe, expect, it } from 'vitest';
import { ModelError } from '../errors/model-error.js';
import type { StreamPart } from '../spec/stream.js';
import { validateStream } from './validate-stream.js';

const usage = { inputTokens: 1, outputTokens: 1 };
const finish = (stopReason: 'end' | 'tool_calls' = 'end'): StreamPart => ({
  type: 'finish',
  stopReason,
  usage,
});
const start = (id: string, name = 'get_weather'): StreamPart => ({
  type: 'tool-call-start',
  toolCallId: id,
  toolName: name,
});
const delta = (id: string, text = '{}'): StreamPart => ({
  type: 'tool-call-delta',
  toolCallId: id,
  inputTextDelta: text,
});
const end = (id: string, name = 'get_weather'): StreamPart => ({
  type: 'tool-call-end',
  toolCallId: id,
  toolName: name,
  input: {},
});
const error = (afterFirstPart: boolean): StreamPart => ({
  type: 'error',
  error: new ModelError('x', { kind: 'transport', provider: 'p', afterFirstPart }),
});

async function issuesOf(parts: StreamPart[]) {
  return (await validateStream(parts)).issues.map((i) => i.message);
}

describe('the stream grammar', () => {
  it('accepts text, complete tool calls and one final finish', async () => {
    const result = await validateStream([
      { type: 'text-delta', text: 'Hi' },
      start('a'),
      delta('a'),
      end('a'),
      start('b'),
      end('b'),
      finish('tool_calls'),
    ]);
    expect(result).toMatchObject({ ok: true, issues: [] });
  });

  it('accepts a stream that is a single error, or parts followed by an error marked afterFirstPart', async () => {
    expect(await issuesOf([error(false)])).toEqual([]);
    expect(await issuesOf([{ type: 'text-delta', text: 'a' }, error(true)])).toEqual([]);
  });

  it.each<[string, StreamPart[], RegExp]>([
    ['a stream without finish or error', [{ type: 'text-delta', text: 'a' }], /without a finish or error/],
    ['a part after finish', [finish(), { type: 'text-delta', text: 'a' }], /after the stream already ended/],
    ['two finishes', [finish(), finish()], /after the stream already ended/],
    [
      'text inside an open tool call',
      [start('a'), { type: 'text-delta', text: 'x' }, end('a'), finish()],
      /inside the open tool call/,
    ],
    [
      'interleaved tool calls',
      [start('a'), start('b'), end('b'), end('a'), finish('tool_calls')],
      /while "a" is still open/,
    ],
    [
      'a delta for another call',
      [start('a'), delta('b'), end('a'), finish('tool_calls')],
      /while "a" is open/,
    ],
    ['an end without a start', [end('a'), finish()], /no open tool call/],
    [
      'a reused tool call id',
      [start('a'), end('a'), start('a'), end('a'), finish('tool_calls')],
      /used twice/,
    ],
    [
      'an end naming another tool',
      [start('a'), end('a', 'other'), finish('tool_calls')],
      /started as "get_weather"/,
    ],
    [
      'finish with an open tool call',
      [start('a'), finish('tool_calls')],
      /finish while tool call "a" is open/,
    ],
    ['tool_calls without a tool call', [finish('tool_calls')], /has no tool call/],
    ['an empty text delta', [{ type: 'text-delta', text: '' }, finish()], /empty/],
    ['an unknown stop reason', [{ type: 'finish', stopReason: 'done' as never, usage }], /stopReason "done"/],
    ['missing usage', [{ type: 'finish', stopReason: 'end' } as never], /usage/],
    [
      'an error after parts not marked afterFirstPart',
      [{ type: 'text-delta', text: 'a' }, error(false)],
      /afterFirstPart: true/,
    ],
    ['a first-part error marked afterFirstPart', [error(true)], /afterFirstPart: false/],
    [
      'an error part without a ModelError',
      [{ type: 'error', error: new Error('x') as never }],
      /not a ModelError/,
    ],
    ['an unknown part type', [{ type: 'reasoning', text: 'hm' } as never, finish()], /unknown part/],
  ])('rejects %s', async (_name, parts, message) => {
    const result = await validateStream(parts);
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => i.message).join('\n')).toMatch(message);
  });

  it('reports a stream that throws instead of ending with an error part', async () => {
    async function* throwing(): AsyncGenerator<StreamPart> {
      yield { type: 'text-delta', text: 'a' };
      throw new Error('socket hang up');
    }
    const messages = (await validateStream(throwing())).issues.map((i) => i.message);
    expect(messages.join('\n')).toMatch(/threw instead of ending with an error part: socket hang up/);
  });
});
