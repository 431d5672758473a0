import { describe, expect, it } from 'vitest';
import { InvalidSpawnOptionsError, NestedSpawnError, SpawnLimitError } from './errors.js';
import { SPAWN_ACCEPTED_NOTE, spawnTool } from './spawn-tool.js';
import type { SpawnOptions } from './types.js';

const context = { toolCallId: 'call-1', signal: new AbortController().signal, messages: [] };

describe('the sessions_spawn tool', () => {
  it('passes the model’s options to spawn and returns accepted with a do-not-poll note', async () => {
    const seen: SpawnOptions[] = [];
    const tool = spawnTool(async (options) => {
      seen.push(options);
      return { status: 'accepted', runId: 'r1', sessionKey: 'agent:main:subagent:r1' };
    });
    expect(tool.name).toBe('sessions_spawn');
    const input = tool.input.parse({ task: 'analyse A', label: 'A', cleanup: 'delete', timeoutMs: 1000 });
    await expect(tool.execute(input, context)).resolves.toEqual({
      status: 'accepted',
      runId: 'r1',
      childSessionKey: 'agent:main:subagent:r1',
      note: SPAWN_ACCEPTED_NOTE,
    });
    expect(seen).toEqual([{ task: 'analyse A', label: 'A', cleanup: 'delete', timeoutMs: 1000 }]);
  });

  it('has no delivery parameter: the schema is closed and refuses one', () => {
    const tool = spawnTool(async () => ({ status: 'accepted', runId: 'r', sessionKey: 'k' }));
    expect(Object.keys((tool.inputSchema as { properties: object }).properties).sort()).toEqual([
      'agentId',
      'cleanup',
      'label',
      'task',
      'timeoutMs',
    ]);
    expect(tool.inputSchema).toMatchObject({ additionalProperties: false });
    for (const key of ['target', 'channel', 'threadId', 'to']) {
      expect(tool.input.safeParse({ task: 'x', [key]: 'elsewhere' }).success, key).toBe(false);
    }
  });

  it('turns refusals into forbidden or error results the model can relay', async () => {
    const refusing = (error: Error) => spawnTool(async () => Promise.reject(error));
    const input = { task: 'x' };
    await expect(
      refusing(new NestedSpawnError('agent:main:subagent:r')).execute(input, context),
    ).resolves.toMatchObject({
      status: 'forbidden',
      error: expect.stringMatching(/cannot start another one/),
    });
    await expect(
      refusing(new SpawnLimitError('per_session', 5, 5, 's')).execute(input, context),
    ).resolves.toMatchObject({
      status: 'forbidden',
    });
    await expect(
      refusing(new InvalidSpawnOptionsError([{ path: 'agentId', message: 'unknown agent' }])).execute(
        input,
        context,
      ),
    ).resolves.toMatchObject({ status: 'error', error: expect.stringMatching(/agentId: unknown agent/) });
    await expect(refusing(new Error('store down')).execute(input, context)).rejects.toThrow('store down');
  });

  it('needs a spawn function', () => {
    expect(() => spawnTool(undefined as never)).toThrow(TypeError);
  });
});
