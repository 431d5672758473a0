import { createMockModel } from '@claw/provider-kit/testing';
import { describe, expect, it } from 'vitest';
import { llmAgent } from '../agents/llm-agent.js';
import type { TurnContext } from '../agents/types.js';
import { NestedSpawnError } from '../background/errors.js';
import { createTestClaw } from '../testing/index.js';
import type { ClawConfig } from './config.js';

const open: ClawConfig = {
  channels: { test: { dmPolicy: 'open', allowFrom: ['*'], groupPolicy: 'open' } },
};

describe('background runs through the gateway', () => {
  it('acks at once and announces the result later in the same group thread, while other chats go on', async () => {
    const children: TurnContext[] = [];
    const t = createTestClaw({
      config: open,
      agents: {
        main: async (ctx: TurnContext) => {
          if (ctx.isChild) {
            children.push(ctx);
            return `report on ${ctx.messages[0]!.text}`;
          }
          const text = ctx.messages[0]!.text;
          if (!text.includes('analyse')) return `chat: ${text}`;
          await ctx.spawn({ task: text.replace('@bot ', ''), label: 'analysis', cleanup: 'delete' });
          return 'got it ✅';
        },
      },
    });
    const ask = t.channel.thread('@bot analyse docs A and B', {
      peerId: 'dev-team',
      threadId: 'ci',
      mention: true,
    });
    const asked = await t.receive(ask);
    await t.receive(t.channel.group('@bot lunch?', { groupId: 'release-squad', mention: true }));
    await t.receive(t.channel.dm('keep this private', { sender: 'me' }));
    await t.idle();

    const inThread = t.replies({ peerId: 'dev-team', threadId: 'ci' }).map((r) => r.message.text);
    expect(inThread).toHaveLength(2);
    expect(inThread[0]).toBe('got it ✅');
    expect(inThread[1]).toContain('report on analyse docs A and B');
    expect(t.replies({ peerId: 'release-squad' }).map((r) => r.message.text)).toEqual(['chat: @bot lunch?']);
    expect(t.replies({ peerId: 'me' }).map((r) => r.message.text)).toEqual(['chat: keep this private']);
    expect(t.replies()).toHaveLength(4);

    const [child] = children;
    expect(child!.target).toBeUndefined();
    expect(child!.sessionKey).toMatch(/^agent:main:subagent:/);
    expect(child!.toolPolicy.isAllowed('sessions_spawn')).toBe(false);
    const [run] = await t.runs.list();
    expect(run).toMatchObject({ status: 'succeeded', announced: true, parentSessionKey: asked.sessionKey });
    expect(t.events('background:announced')).toHaveLength(1);
  });

  it('refuses a nested spawn inside a background run', async () => {
    const errors: unknown[] = [];
    const t = createTestClaw({
      config: open,
      agents: {
        main: async (ctx: TurnContext) => {
          if (!ctx.isChild) {
            await ctx.spawn({ task: 'outer' });
            return 'started';
          }
          try {
            await ctx.spawn({ task: 'inner' });
          } catch (error) {
            errors.push(error);
          }
          return 'child done';
        },
      },
    });
    await t.send(t.channel.dm('go'));
    expect(errors).toHaveLength(1);
    expect(NestedSpawnError.isInstance(errors[0])).toBe(true);
    expect(await t.runs.list()).toHaveLength(1);
  });

  it('gives llmAgent the sessions_spawn tool in conversations, and never in background runs', async () => {
    const model = createMockModel((request) => {
      const tools = (request.tools ?? []).map((tool) => tool.name);
      const last = request.messages.at(-1);
      if (last?.role === 'tool') return { text: 'on it' };
      if (tools.includes('sessions_spawn')) {
        return { toolCalls: [{ toolName: 'sessions_spawn', input: { task: 'dig into the logs' } }] };
      }
      return { text: `child saw tools: [${tools.join(', ')}]` };
    });
    const t = createTestClaw({ config: open, agents: { main: llmAgent({ model }) } });
    await t.send(t.channel.dm('investigate'));
    const texts = t.replies().map((r) => r.message.text);
    expect(texts[0]).toBe('on it');
    expect(texts[1]).toContain('child saw tools: []');
  });
});
