import type { InboundMessage, ReplyTarget } from '@claw/channel-kit';
import type { SentMessage } from '@claw/channel-kit/testing';
import {
  type ClawStores,
  createClaw,
  createFileStores,
  llmAgent,
  type ReceiveReceipt,
  type RunRecord,
  type TranscriptEntry,
} from '@claw/core';
import type { LanguageModel } from '@claw/provider-kit';
import { type Conversation, createScenario, demoConfig } from './scenario.js';

/** One message of the story, what the gateway decided, and which replies answer it. */
export interface MessageReport {
  readonly message: InboundMessage;
  readonly receipt: ReceiveReceipt;
}

/** A reply the bot posted, with what it answers (computed from ids, not from where it landed). */
export interface ReplyReport {
  readonly sent: SentMessage;
  /** `turn` replies, `pairing` challenges, `background` announcements. */
  readonly kind: 'turn' | 'pairing' | 'background';
  /** The inbound message this reply answers, found through the turn id or run id. */
  readonly origin: InboundMessage | undefined;
  /** For background announcements: the run. */
  readonly run?: RunRecord;
}

/** One self-computed check of the demo. */
export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly details: string[];
}

/** Everything the demo observed. */
export interface DemoReport {
  readonly conversations: readonly { title: string; messages: MessageReport[] }[];
  readonly replies: readonly ReplyReport[];
  readonly transcripts: ReadonlyMap<string, TranscriptEntry[]>;
  readonly runs: readonly RunRecord[];
  readonly checks: readonly CheckResult[];
}

/** Options of {@link runDemo}. */
export interface RunDemoOptions {
  /** The model behind both agents. */
  readonly model: LanguageModel;
  /** Where the file-backed stores live. */
  readonly dir: string;
  /** Called after each message is decided (for live output). */
  readonly onReceipt?: (conversation: Conversation, report: MessageReport) => void;
}

const sameConversation = (a: ReplyTarget, b: InboundMessage): boolean =>
  a.channel === b.channel &&
  a.accountId === (b.accountId ?? 'default') &&
  a.peer.kind === b.peer.kind &&
  a.peer.id === b.peer.id &&
  a.threadId === b.threadId;

const where = (t: ReplyTarget): string =>
  `${t.channel}/${t.peer.kind}:${t.peer.id}${t.threadId === undefined ? '' : ` thread ${t.threadId}`}`;

/**
 * Run the story through `createClaw` with file-backed stores: every conversation posts its
 * messages concurrently with the others (in order within itself), then the demo waits until every
 * turn, reply and background run is done, and checks the result.
 */
export async function runDemo(options: RunDemoOptions): Promise<DemoReport> {
  const { slack, telegram, conversations } = createScenario();
  const stores: ClawStores = createFileStores({ dir: options.dir });
  const system =
    'You are Claw, a helpful teammate in a company chat. Be brief. For heavy work on several documents, ' +
    'start one background run per document with sessions_spawn and tell the user you are on it.';
  const claw = createClaw({
    config: demoConfig,
    channels: [slack, telegram],
    agents: {
      main: llmAgent({ model: options.model, system }),
      release: llmAgent({ model: options.model, system: 'You are the release bot. Be brief.' }),
    },
    stores,
  });
  await claw.start();

  const reports = conversations.map((c) => ({ title: c.title, messages: [] as MessageReport[] }));
  await Promise.all(
    conversations.map(async (conversation, index) => {
      for (const message of conversation.messages) {
        // Interleave the conversations the way real traffic does.
        await new Promise((resolve) => setTimeout(resolve, (index * 7) % 5));
        const receipt = await claw.receive(message);
        const report = { message, receipt };
        reports[index]?.messages.push(report);
        options.onReceipt?.(conversation, report);
      }
    }),
  );
  await claw.idle();

  const all = reports.flatMap((c) => c.messages);
  const byTurn = new Map(all.flatMap((r) => r.receipt.turns.map((t) => [t.turnId, r.message] as const)));
  const byId = new Map(all.map((r) => [r.message.messageId, r.message]));
  const runs = await claw.runs.list();
  const runById = new Map(runs.map((run) => [run.runId, run]));

  const replies: ReplyReport[] = [...slack.sent, ...telegram.sent].map((sent) => {
    const key = sent.idempotencyKey;
    if (key.startsWith('announce:')) {
      const run = runById.get(key.slice('announce:'.length));
      const origin =
        run?.target.replyToMessageId === undefined ? undefined : byId.get(run.target.replyToMessageId);
      return { sent, kind: 'background', origin, ...(run === undefined ? {} : { run }) };
    }
    if (key.startsWith('pairing:')) {
      const origin = all.find(
        (r) => r.receipt.status === 'pairing' && key.includes(r.message.channel),
      )?.message;
      return { sent, kind: 'pairing', origin };
    }
    const turnId = [...byTurn.keys()].find((id) => key.startsWith(`${id}:`));
    return { sent, kind: 'turn', origin: turnId === undefined ? undefined : byTurn.get(turnId) };
  });

  const transcripts = new Map<string, TranscriptEntry[]>();
  for (const key of new Set(all.flatMap((r) => r.receipt.turns.map((t) => t.sessionKey)))) {
    transcripts.set(key, await stores.transcripts.read(key));
  }
  await claw.stop();

  const checks: CheckResult[] = [];
  const misplaced = replies.filter(
    (r) => r.origin === undefined || !sameConversation(r.sent.target, r.origin),
  );
  checks.push({
    name: 'every reply landed in the conversation (channel, account, chat, thread) it answers',
    ok: replies.length > 0 && misplaced.length === 0,
    details: misplaced.map((r) => `"${r.sent.message.text.slice(0, 40)}" went to ${where(r.sent.target)}`),
  });

  const mixed: string[] = [];
  for (const [sessionKey, entries] of transcripts) {
    for (const entry of entries) {
      if (entry.role !== 'user' || entry.messageId === undefined) continue;
      const owner = all.find((r) => r.message.messageId === entry.messageId);
      if (owner?.receipt.turns.every((t) => t.sessionKey !== sessionKey) ?? true) {
        mixed.push(`${entry.messageId} appears in ${sessionKey}`);
      }
    }
  }
  checks.push({
    name: 'no transcript holds a message from another conversation',
    ok: mixed.length === 0,
    details: mixed,
  });

  const background = replies.filter((r) => r.kind === 'background');
  const lost = runs.filter((run) => !background.some((r) => r.run?.runId === run.runId));
  checks.push({
    name: 'background results were posted in the thread they were asked in',
    ok:
      runs.length > 0 &&
      lost.length === 0 &&
      background.every((r) => r.origin?.threadId !== undefined && r.run?.announced),
    details: [
      ...lost.map((run) => `run ${run.runId} (${run.label ?? run.task}) was never announced`),
      ...background
        .filter((r) => r.origin?.threadId === undefined)
        .map((r) => `announce ${r.sent.idempotencyKey} not in a thread`),
    ],
  });

  const answered = all.filter((r) => r.receipt.status === 'dispatched');
  const unanswered = answered.filter(
    (r) => !replies.some((reply) => reply.origin === r.message && reply.kind === 'turn'),
  );
  checks.push({
    name: 'every dispatched message got an answer',
    ok: answered.length > 0 && unanswered.length === 0,
    details: unanswered.map((r) => `${r.message.messageId} "${r.message.text}" got no reply`),
  });

  return { conversations: reports, replies, transcripts, runs, checks };
}
