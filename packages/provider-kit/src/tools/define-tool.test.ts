import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { defineTool, toolDefinition } from './define-tool.js';

const execute = () => 'ok';

describe('defining a tool', () => {
  it('derives the JSON schema the model sees from the zod input schema', () => {
    const tool = defineTool({
      name: 'get_weather',
      description: 'Weather in a city',
      input: z.object({ city: z.string().describe('City name'), days: z.number().int().min(1).default(1) }),
      execute,
    });
    expect(toolDefinition(tool)).toEqual({
      name: 'get_weather',
      description: 'Weather in a city',
      inputSchema: {
        type: 'object',
        properties: {
          city: { type: 'string', description: 'City name' },
          days: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, default: 1 },
        },
        required: ['city'],
      },
    });
  });

  it.each(['', 'has space', 'x'.repeat(65), 'dots.not.allowed', 'émoji'])('rejects the name "%s"', (name) => {
    expect(() => defineTool({ name, description: 'd', input: z.object({}), execute })).toThrow(/tool\.name/);
  });

  it('rejects input schemas that are not objects or not expressible as JSON schema', () => {
    expect(() => defineTool({ name: 't', description: 'd', input: z.string(), execute })).toThrow(
      /must describe an object/,
    );
    expect(() =>
      defineTool({ name: 't', description: 'd', input: z.object({ at: z.date() }), execute }),
    ).toThrow(/cannot be expressed as JSON schema/);
    expect(() => defineTool({ name: 't', description: 'd', input: {} as never, execute })).toThrow(
      InvalidArgumentError,
    );
  });

  it('requires a description and an execute function', () => {
    expect(() => defineTool({ name: 't', description: ' ', input: z.object({}), execute })).toThrow(
      /description/,
    );
    expect(() =>
      defineTool({ name: 't', description: 'd', input: z.object({}), execute: undefined as never }),
    ).toThrow(/execute/);
  });
});
