// CJS consumer: require() works, including the ESM-only dependencies bundled into core's CJS build.
const assert = require('node:assert/strict');
const { parseInbound } = require('@claw/channel-kit');
const { createRouter, buildSessionKey, parseSessionKey } = require('@claw/core');
const { generate } = require('@claw/provider-kit');
require('@claw/provider-kit/openai-compatible');

const router = createRouter({ session: { dmScope: 'per-peer' } });
const route = router.resolve(
  parseInbound({
    channel: 'telegram',
    messageId: '1',
    peer: { kind: 'direct', id: '42' },
    sender: { id: '42' },
    text: 'hi',
    timestamp: 0,
  }),
);
assert.equal(route.sessionKey, 'agent:main:direct:42');
assert.equal(parseSessionKey(buildSessionKey({ agentId: 'main' })).kind, 'main');
assert.equal(typeof generate, 'function');
// The gateway runs under require(): p-queue and nanoid (ESM-only) are bundled into the CJS build.
const { createClaw } = require('@claw/core');
const { defineChannel } = require('@claw/channel-kit');
const sent = [];
const chat = defineChannel({
  specificationVersion: 'v1',
  id: 'chat',
  capabilities: { chatTypes: ['direct'] },
  async send(target, message) {
    sent.push({ to: target.peer.id, text: message.text });
    return { messageId: `out-${sent.length}` };
  },
});
const claw = createClaw({
  config: { channels: { chat: { dmPolicy: 'open', allowFrom: ['*'] } } },
  channels: [chat],
  agents: { main: (ctx) => `echo: ${ctx.messages[0].text}` },
});
(async () => {
  await claw.start();
  const receipt = await claw.receive({
    channel: 'chat',
    messageId: 'm1',
    peer: { kind: 'direct', id: 'u1' },
    sender: { id: 'u1' },
    text: 'hello',
    timestamp: 0,
  });
  assert.equal(receipt.status, 'dispatched');
  await receipt.done;
  await claw.idle();
  await claw.stop();
  assert.deepEqual(sent, [{ to: 'u1', text: 'echo: hello' }]);
  console.log('cjs consumer ok');
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
