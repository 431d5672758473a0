import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import type { StreamPart } from '../spec/stream.js';
import type { ToolLoopOptions } from '../tool-loop/types.js';
import { defineTool, type Tool } from './define-tool.js';

describe('tool types', () => {
  it('infer the validated input of execute from the zod schema', () => {
    const tool = defineTool({
      name: 'get_weather',
      description: 'Weather',
      input: z.object({ city: z.string(), days: z.number().default(1) }),
      execute: (input) => {
        expectTypeOf(input).toEqualTypeOf<{ city: string; days: number }>();
        return { sky: 'clear' as const };
      },
    });
    expectTypeOf(tool).toEqualTypeOf<Tool<{ city: string; days: number }, { sky: 'clear' }>>();
  });

  it('let tools of different input types go into one tool loop', () => {
    const a = defineTool({
      name: 'a',
      description: 'a',
      input: z.object({ n: z.number() }),
      execute: () => 1,
    });
    const b = defineTool({
      name: 'b',
      description: 'b',
      input: z.object({ s: z.string() }),
      execute: () => 's',
    });
    expectTypeOf([a, b]).toExtend<NonNullable<ToolLoopOptions['tools']>>();
  });

  it('narrow stream parts by type', () => {
    const part = {} as StreamPart;
    if (part.type === 'tool-call-end') expectTypeOf(part.input).toBeUnknown();
    if (part.type === 'error')
      expectTypeOf(part.error.kind).toEqualTypeOf<
        | 'rate_limited'
        | 'overloaded'
        | 'auth'
        | 'context_overflow'
        | 'invalid_request'
        | 'transport'
        | 'aborted'
      >();
  });
});
