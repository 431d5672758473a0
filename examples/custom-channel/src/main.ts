// The Acme adapter inside a real gateway, against a fake Acme on 127.0.0.1 (no network):
//   pnpm --filter @claw/example-custom-channel start
import { createClaw } from '@claw/core';
import { ACME, createAcmeChannel } from './acme-channel.js';
import { startFakeAcme } from './fake-acme.js';

const acme = await startFakeAcme();
const claw = createClaw({
  config: {
    channels: {
      [ACME]: {
        dmPolicy: 'open',
        allowFrom: ['*'],
        groupPolicy: 'open',
        groups: { '*': { requireMention: true } },
      },
    },
  },
  channels: [
    createAcmeChannel({
      baseUrl: acme.url,
      token: acme.token,
      botUserId: acme.bot.id,
      webhookSecret: 'demo',
    }),
  ],
  agents: {
    main: (ctx) => `(${ctx.sessionKey}) you said: ${ctx.messages.at(-1)?.text.replace('@acmebot ', '')}`,
  },
});
claw.on('decision', (e) => console.log(`  decision  ${e.messageId}: ${e.action} (${e.reason})`));
await claw.start(); // starts the adapter's webhook server and registers it with Acme

console.log('Acme delivers four events to the webhook:');
await acme.deliver({ conversation: { id: 'D-alice', kind: 'dm' }, text: 'hello from a DM' });
await acme.deliver({ conversation: { id: 'G-team', kind: 'group' }, text: 'lunch anyone?' });
await acme.deliver({ conversation: { id: 'G-team', kind: 'group' }, text: 'status?', mentionBot: true });
await acme.deliver({
  conversation: { id: 'C-general', kind: 'channel' },
  threadId: 'T-7',
  text: 'why is CI red?',
  mentionBot: true,
});
await claw.idle();

console.log('\nWhat Acme received (conversation / thread ← text):');
for (const m of acme.messages()) {
  console.log(`  ${m.conversationId}${m.threadId ? ` / ${m.threadId}` : ''} ← ${m.text}`);
}
await claw.stop();
await acme.close();
