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
console.log('cjs consumer ok');
