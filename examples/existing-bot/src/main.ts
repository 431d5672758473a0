// The same five messages through the bot before and after adopting @claw/core, against a fake
// chat platform on 127.0.0.1 (no network, no API key):
//   pnpm --filter @claw/example-existing-bot start
import type { Server } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { createClawBot } from './after.js';
import { type BotOptions, createNaiveBot } from './before.js';
import { closeServer, type FakeChirp, listenLocally, startFakeChirp } from './fake-platform.js';
import { think } from './platform.js';

// A model call takes a while; the release plan takes longest.
const slowThink: BotOptions['think'] = async (earlier, text) => {
  await delay(text.includes('release plan') ? 300 : 20);
  return think(earlier, text);
};

/** Who says what, where. The dev-team question and the release-squad one overlap in time. */
async function conversation(chirp: FakeChirp): Promise<void> {
  await chirp.dm('alice', 'remember the launch code is 1234');
  await chirp.group('dev-team', 'bob', 'anyone up for lunch?');
  await Promise.all([
    chirp.group('dev-team', 'wang', '@helperbot remember to draft the release plan'),
    delay(100).then(() => chirp.group('release-squad', 'li', '@helperbot what do you remember?')),
  ]);
  await chirp.dm('alice', 'what do you remember?');
}

function print(title: string, chirp: FakeChirp): void {
  console.log(`\n${title}`);
  for (const chat of ['alice', 'dev-team', 'release-squad']) {
    const texts = chirp.textsIn(chat);
    console.log(
      `  ${chat.padEnd(14)} ${texts.length === 0 ? '(nothing)' : texts.map((t) => `"${t}"`).join(', ')}`,
    );
  }
}

const before = await startFakeChirp();
const naive: Server = createNaiveBot({ apiUrl: before.url, token: before.token, think: slowThink });
before.webhookUrl = await listenLocally(naive);
await conversation(before);
print('BEFORE: one global history, replies to "the last chat", no mention gate', before);
await closeServer(naive);
await before.close();

const after = await startFakeChirp();
const bot = createClawBot({ apiUrl: after.url, token: after.token, think: slowThink });
await bot.claw.start();
after.webhookUrl = await listenLocally(bot.server);
await conversation(after);
await bot.claw.idle();
print('AFTER: one session per conversation, replies pinned to where each question was asked', after);
await closeServer(bot.server);
await bot.claw.stop();
await after.close();

console.log(`
Before, the DM note leaked into release-squad, dev-team never got its answer, and the bot
answered "anyone up for lunch?". After, each chat hears only about its own conversation.`);
