import type { Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNaiveBot } from './before.js';
import { closeServer, type FakeChirp, listenLocally, startFakeChirp } from './fake-platform.js';
import { think } from './platform.js';

// These tests pin down the bugs of the naive bot, so the "after" tests have something to fix.
describe('before: the naive webhook bot', () => {
  let chirp: FakeChirp;
  let bot: Server | undefined;

  beforeEach(async () => {
    chirp = await startFakeChirp();
  });
  afterEach(async () => {
    if (bot !== undefined) await closeServer(bot);
    await chirp.close();
  });

  async function start(options: Partial<Parameters<typeof createNaiveBot>[0]> = {}): Promise<void> {
    bot = createNaiveBot({ apiUrl: chirp.url, token: chirp.token, ...options });
    chirp.webhookUrl = await listenLocally(bot);
  }

  it('repeats a private note in a group: every chat shares one history', async () => {
    await start();
    await chirp.dm('alice', 'remember the launch code is 1234');
    await chirp.group('dev-team', 'bob', '@helperbot what do you remember?');
    expect(chirp.textsIn('dev-team')).toEqual(['I remember: the launch code is 1234']);
  });

  it('answers in the chat that wrote last, not in the one that asked', async () => {
    let startedThinking!: () => void;
    let finishThinking!: () => void;
    const thinking = new Promise<void>((resolve) => {
      startedThinking = resolve;
    });
    const slow = new Promise<void>((resolve) => {
      finishThinking = resolve;
    });
    await start({
      think: async (earlier, text) => {
        if (text.includes('release plan')) {
          startedThinking();
          await slow;
        }
        return think(earlier, text);
      },
    });
    const asked = chirp.group('dev-team', 'wang', '@helperbot remember to draft the release plan');
    await thinking;
    await chirp.group('release-squad', 'li', '@helperbot lunch?');
    finishThinking();
    await asked;
    // dev-team never hears back; release-squad gets dev-team's answer, and dev-team's note too.
    expect(chirp.textsIn('dev-team')).toEqual([]);
    expect(chirp.textsIn('release-squad')).toEqual([
      'I remember: to draft the release plan',
      'Noted: to draft the release plan',
    ]);
  });

  it('answers every group message, mentioned or not', async () => {
    await start();
    await chirp.group('dev-team', 'bob', 'anyone up for lunch?');
    expect(chirp.textsIn('dev-team')).toHaveLength(1);
  });
});
