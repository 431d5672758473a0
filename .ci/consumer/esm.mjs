// ESM consumer: the packed packages import and work outside the workspace.
import assert from 'node:assert/strict';
import { chunkText, defineChannel, parseInbound } from '@claw/channel-kit';
import { buildSessionKey, ConfigError, createRouter, decideAccess, parseSessionKey } from '@claw/core';
import { createProviderRegistry, generate } from '@claw/provider-kit';
import { anthropic } from '@claw/provider-kit/anthropic';
import { openaiCompatible } from '@claw/provider-kit/openai-compatible';

const router = createRouter({
  agents: { list: [{ id: 'main', default: true }, { id: 'ops' }] },
  bindings: [{ agentId: 'ops', match: { channel: 'slack', teamId: 'T1' } }],
  session: { dmScope: 'per-channel-peer' },
});
const message = parseInbound({
  channel: 'slack',
  messageId: '1',
  peer: { kind: 'channel', id: 'C1' },
  teamId: 'T1',
  sender: { id: 'U1' },
  text: 'hi',
  timestamp: 0,
});
const route = router.resolve(message);
assert.equal(route.agentId, 'ops');
assert.equal(route.sessionKey, 'agent:ops:slack:channel:C1');
const key = buildSessionKey({
  agentId: 'main',
  channel: 'matrix',
  peer: { kind: 'channel', id: '!room:example.org' },
});
assert.equal(parseSessionKey(key).peerId, '!room:example.org');
assert.throws(() => createRouter({ bindings: [{ agentId: 'nope', match: { channel: 'x' } }] }), ConfigError);
assert.equal(decideAccess({}, message).action, 'drop');
assert.equal(chunkText('a'.repeat(10), { limit: 4 }).length, 3);
const channel = defineChannel({
  specificationVersion: 'v1',
  id: 'smoke',
  capabilities: {},
  async send() {
    return { messageId: 'x' };
  },
});
assert.equal(channel.id, 'smoke');
const model = {
  specificationVersion: 'v1',
  provider: 'smoke',
  modelId: 'echo',
  capabilities: { tools: false, streaming: true, images: false },
  async *stream() {
    yield { type: 'text-delta', text: 'hello' };
    yield { type: 'finish', stopReason: 'end', usage: { inputTokens: 1, outputTokens: 1 } };
  },
};
const out = await generate(model, { messages: [{ role: 'user', content: 'hi' }] });
assert.equal(out.text, 'hello');
assert.equal(typeof createProviderRegistry, 'function');
assert.equal(typeof anthropic, 'function');
assert.equal(typeof openaiCompatible, 'function');
console.log('esm consumer ok');
