import { defineTool, type ModelMessage } from '@claw/provider-kit';
import { createMockModel } from '@claw/provider-kit/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from '../errors/index.js';
import type { ClawConfig } from '../gateway/config.js';
import { DEFAULT_APOLOGY } from '../gateway/config.js';
import { HISTORY_HEADER } from '../group-history/index.js';
import { createTestClaw } from '../testing/index.js';
import { llmAgent } from './llm-agent.js';

const open: ClawConfig = {
  channels: { test: { dmPolicy: 'open', allowFrom: ['*'], groupPolicy: 'open' } },
};

const text = (message: ModelMessage | undefined) =>
  typeof message?.content === 'string' ? message.content : JSON.stringify(message?.content);

describe('llmAgent', () => {
  it('sends the system prompt, the transcript and the new message, and replies with the final text', async () => {
    const model = createMockModel([{ text: 'Hi Alice!' }, { text: 'You said hello.' }]);
    const t = createTestClaw({
      config: open,
      agents: { main: llmAgent({ model, system: 'Be brief.', spawn: false }) },
    });
    await t.send(t.channel.dm('hello'));
    await t.send(t.channel.dm('what did I say?'));
    expect(t.replies().map((r) => r.message.text)).toEqual(['Hi Alice!', 'You said hello.']);
    expect(model.requests[0]).toMatchObject({
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'hello' }],
    });
    expect(model.requests[1]!.messages).toEqual([
      { role: 'user', content: 'hello' },
      { role: 'assistant', content: 'Hi Alice!' },
      { role: 'user', content: 'what did I say?' },
    ]);
  });

  it('shows the pending group history in the context block, with senders', async () => {
    const model = createMockModel([{ text: 'Looks like a flaky test.' }]);
    const t = createTestClaw({ config: open, agents: { main: llmAgent({ model, spawn: false }) } });
    await t.send(t.channel.group('CI is red', { sender: { id: 'u2', name: 'Bob' } }));
    await t.send(t.channel.group('@bot why?', { sender: { id: 'u3', name: 'Carol' }, mention: true }));
    expect(text(model.requests[0]!.messages.at(-1))).toBe(
      `${HISTORY_HEADER}\nBob: CI is red\n\n[Current message - respond to this]\nCarol: @bot why?`,
    );
  });

  it('offers only the tools the turn policy allows, refuses the others, and records tool calls', async () => {
    const calls: string[] = [];
    const tool = (name: string) =>
      defineTool({
        name,
        description: `The ${name} tool.`,
        input: z.object({}),
        execute: () => {
          calls.push(name);
          return `${name} ran`;
        },
      });
    const model = createMockModel([
      {
        toolCalls: [
          { toolName: 'search', input: {} },
          { toolName: 'exec', input: {} },
        ],
      },
      { text: 'done' },
      { text: 'second turn' },
    ]);
    const t = createTestClaw({
      config: { ...open, tools: { deny: ['exec'] } },
      agents: { main: llmAgent({ model, tools: [tool('search'), tool('exec')], spawn: false }) },
    });
    const { receipt } = await t.send(t.channel.dm('look it up'));
    expect(model.requests[0]!.tools?.map((d) => d.name)).toEqual(['search']);
    expect(calls).toEqual(['search']);
    const results = model.requests[1]!.messages.at(-1);
    expect(results).toMatchObject({
      role: 'tool',
      content: [
        { toolName: 'search', output: 'search ran' },
        { toolName: 'exec', isError: true },
      ],
    });

    const transcript = await t.stores.transcripts.read(receipt.sessionKey!);
    expect(transcript.map((e) => e.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    // The next turn sees the tool round trip again.
    await t.send(t.channel.dm('and then?'));
    expect(model.requests[2]!.messages.map((m) => m.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'assistant',
      'user',
    ]);
  });

  it('fails the turn (with the apology) when the model fails', async () => {
    const model = createMockModel([{ error: 'auth' }]);
    const t = createTestClaw({ config: open, agents: { main: llmAgent({ model, spawn: false }) } });
    const { outcomes } = await t.send(t.channel.dm('hi'));
    expect(outcomes[0]!.status).toBe('failed');
    expect(t.replies().map((r) => r.message.text)).toEqual([DEFAULT_APOLOGY]);
    expect(t.events('error')[0]).toMatchObject({ source: 'turn' });
  });

  it('streams the answer when asked to', async () => {
    const model = createMockModel([{ text: ['Once ', 'upon ', 'a time.'] }]);
    const t = createTestClaw({
      config: open,
      agents: { main: llmAgent({ model, stream: true, spawn: false }) },
    });
    const { receipt } = await t.send(t.channel.dm('story'));
    const shown = t.channel.edits.at(-1)?.message.text ?? t.channel.sent.at(-1)?.message.text;
    expect(shown).toBe('Once upon a time.');
    const transcript = await t.stores.transcripts.read(receipt.sessionKey!);
    expect(transcript.at(-1)).toMatchObject({ role: 'assistant', text: 'Once upon a time.' });
  });

  it('rejects invalid options, listing every problem', () => {
    const tool = defineTool({
      name: 'sessions_spawn',
      description: 'x',
      input: z.object({}),
      execute: () => 1,
    });
    try {
      llmAgent({ model: {} as never, maxSteps: 0, tools: [tool], system: 3 as never });
      expect.unreachable();
    } catch (error) {
      expect(ConfigError.isInstance(error)).toBe(true);
      expect((error as ConfigError).issues.map((i) => i.path)).toEqual([
        'model',
        'system',
        'tools',
        'maxSteps',
      ]);
    }
  });
});
