// TypeScript consumer: the published .d.ts files type-check under strict settings.
import type { ChannelAdapter, InboundMessage, ReplyTarget } from '@claw/channel-kit';
import { createRouter, type ResolvedRoute } from '@claw/core';
import type { LanguageModel, StreamPart } from '@claw/provider-kit';

const router = createRouter({ agents: { list: [{ id: 'main', default: true }] } });
declare const message: InboundMessage;
const route: ResolvedRoute = router.resolve(message);
const key: string = route.sessionKey;
declare const adapter: ChannelAdapter;
declare const target: ReplyTarget;
async function send(): Promise<string> {
  const result = await adapter.send(
    target,
    { text: key },
    { idempotencyKey: 't:0', signal: new AbortController().signal },
  );
  return result.messageId;
}
declare const model: LanguageModel;
async function first(): Promise<StreamPart | undefined> {
  for await (const part of model.stream({ messages: [] })) return part;
  return undefined;
}

import { type AgentHandler, createClaw, type ReceiveReceipt } from '@claw/core';

const echo: AgentHandler = (ctx) => `echo: ${ctx.messages[0]?.text ?? ''}`;
const claw = createClaw({ channels: [adapter], agents: { main: echo } });
async function receive(input: unknown): Promise<ReceiveReceipt['status']> {
  return (await claw.receive(input)).status;
}

export { first, receive, send };
