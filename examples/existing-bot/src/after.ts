/**
 * AFTER, part 2: the same bot with `@claw/core` dropped in. The webhook handler no longer answers
 * by itself: it hands each update to `claw.receive`, which decides (may this sender talk here?
 * is the bot mentioned?), picks the session of *this* conversation, queues the turn and delivers
 * the answer to where the question was asked. The brain (`think`) is unchanged; it now gets the
 * history of its own conversation only.
 */
import { createServer, type Server } from 'node:http';
import { InvalidMessageError } from '@claw/channel-kit';
import { type Claw, type ClawStores, createClaw } from '@claw/core';
import type { BotOptions } from './before.js';
import { CHIRP, createChirpChannel, toInboundMessage } from './chirp-channel.js';
import { BOT, type ChirpUpdate, readJson, think } from './platform.js';

/** Options of the migrated bot: the old ones, plus where to keep state. */
export interface ClawBotOptions extends BotOptions {
  /** Sessions, transcripts, outbox …: default in memory; `createFileStores({ dir })` to persist. */
  readonly stores?: ClawStores;
}

/** The migrated bot: the same `node:http` server, and the gateway behind it. */
export interface ClawBot {
  readonly server: Server;
  readonly claw: Claw;
}

/**
 * Build the migrated bot. Call `claw.start()` before listening (it delivers replies a previous
 * process left in the outbox) and `claw.stop()` after closing the server.
 */
export function createClawBot(options: ClawBotOptions): ClawBot {
  const brain = options.think ?? think;
  const claw = createClaw({
    config: {
      // Several people DM this bot: give each of them their own session (the default, 'main',
      // is for a personal assistant and would give every DM one shared history).
      session: { dmScope: 'per-channel-peer' },
      channels: {
        [CHIRP]: {
          // The old bot answered everyone; keep that for DMs (or use the safe default, 'pairing').
          dmPolicy: 'open',
          allowFrom: ['*'],
          // In groups: any group, any member, but only when the message mentions @helperbot.
          groupPolicy: 'open',
          groups: { '*': { requireMention: true } },
        },
      },
    },
    channels: [createChirpChannel(options)],
    // Lets the core see "@helperbot" in the text as a mention of this bot.
    bots: { [CHIRP]: { id: BOT.id, username: BOT.username } },
    agents: {
      // One turn of one conversation. `ctx.transcript` is this session's history and nobody
      // else's; the returned text is sent to this conversation and nowhere else.
      main: (ctx) => {
        const earlier = ctx.transcript.filter((entry) => entry.role === 'user').map((entry) => entry.text);
        return brain(earlier, ctx.messages.at(-1)?.text ?? '');
      },
    },
    ...(options.stores === undefined ? {} : { stores: options.stores }),
  });

  const server = createServer(async (request, response) => {
    if (request.method !== 'POST' || request.url !== '/webhook') {
      response.writeHead(404).end();
      return;
    }
    try {
      const update = (await readJson(request)) as ChirpUpdate;
      // Resolves once the message is decided and queued, so the platform gets its 200 at once.
      await claw.receive(toInboundMessage(update));
      response.writeHead(200).end();
    } catch (error) {
      // A malformed update will never get better: 400 stops the platform from redelivering it.
      // Anything else (stopping, a store failure): 503, so the platform delivers it again later.
      const malformed = error instanceof SyntaxError || InvalidMessageError.isInstance(error);
      response.writeHead(malformed ? 400 : 503).end();
    }
  });
  return { server, claw };
}
