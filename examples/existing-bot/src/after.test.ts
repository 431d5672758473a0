import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ClawBot, createClawBot } from './after.js';
import { closeServer, type FakeChirp, listenLocally, startFakeChirp } from './fake-platform.js';
import { think } from './platform.js';

describe('after: the same bot with @claw/core', () => {
  let chirp: FakeChirp;
  let bot: ClawBot | undefined;

  beforeEach(async () => {
    chirp = await startFakeChirp();
  });
  afterEach(async () => {
    if (bot !== undefined) {
      await closeServer(bot.server);
      await bot.claw.stop();
    }
    await chirp.close();
  });

  async function start(options: Partial<Parameters<typeof createClawBot>[0]> = {}): Promise<ClawBot> {
    bot = createClawBot({ apiUrl: chirp.url, token: chirp.token, ...options });
    await bot.claw.start();
    chirp.webhookUrl = await listenLocally(bot.server);
    return bot;
  }

  it('keeps a private note private: two chats never share history', async () => {
    const { claw } = await start();
    await chirp.dm('alice', 'remember the launch code is 1234');
    await chirp.group('dev-team', 'bob', '@helperbot what do you remember?');
    await chirp.dm('alice', 'what do you remember?');
    await claw.idle();
    expect(chirp.textsIn('alice')).toEqual([
      'Noted: the launch code is 1234',
      'I remember: the launch code is 1234',
    ]);
    expect(chirp.textsIn('dev-team')).toEqual(["I don't remember anything yet."]);
  });

  it('gives each person their own DM history', async () => {
    const { claw } = await start();
    await chirp.dm('alice', 'remember my PIN is 0000');
    await chirp.dm('bob', 'what do you remember?');
    await claw.idle();
    expect(chirp.textsIn('bob')).toEqual(["I don't remember anything yet."]);
  });

  it('answers each message in the chat that asked, quoting it, while a slow answer is pending', async () => {
    let startedThinking!: () => void;
    let finishThinking!: () => void;
    const thinking = new Promise<void>((resolve) => {
      startedThinking = resolve;
    });
    const slow = new Promise<void>((resolve) => {
      finishThinking = resolve;
    });
    const { claw } = await start({
      think: async (earlier, text) => {
        if (text.includes('release plan')) {
          startedThinking();
          await slow;
        }
        return think(earlier, text);
      },
    });
    const answeredInRelease = new Promise<void>((resolve) => {
      claw.on('reply:sent', (event) => {
        if (event.target.peer.id === 'release-squad') resolve();
      });
    });

    const asked = await chirp.group('dev-team', 'wang', '@helperbot remember to draft the release plan');
    await thinking;
    const lunch = await chirp.group('release-squad', 'li', '@helperbot lunch?');
    // The other group's answer does not wait for the slow one: sessions run in parallel.
    await answeredInRelease;
    finishThinking();
    await claw.idle();

    expect(chirp.posted.map(({ chatId, text, replyTo }) => ({ chatId, text, replyTo }))).toEqual([
      { chatId: 'release-squad', text: "I don't remember anything yet.", replyTo: lunch.messageId },
      { chatId: 'dev-team', text: 'Noted: to draft the release plan', replyTo: asked.messageId },
    ]);
  });

  it('skips group messages that do not mention it, and keeps them as context', async () => {
    const { claw } = await start();
    const decisions: string[] = [];
    claw.on('decision', (event) => decisions.push(`${event.action}:${event.reason}`));
    const delivery = await chirp.group('dev-team', 'bob', 'anyone up for lunch?');
    await claw.idle();
    expect(delivery.status).toBe(200); // accepted: the platform must not redeliver it
    expect(chirp.posted).toEqual([]);
    expect(decisions).toEqual(['skip:no_mention']);
  });

  it('refuses a malformed update with 400, so the platform stops redelivering it', async () => {
    const { claw } = await start();
    const response = await fetch(chirp.webhookUrl!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        updateId: 1,
        message: { id: 'm1', chat: { id: 'c1', type: 'group' }, text: 'hi' },
      }),
    });
    expect(response.status).toBe(400);
    await claw.idle();
    expect(chirp.posted).toEqual([]);
  });
});
