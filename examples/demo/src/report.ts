import type { ReplyTarget } from '@claw/channel-kit';
import type { DemoReport } from './run-demo.js';
import { style } from './style.js';

const where = (t: ReplyTarget): string =>
  `${t.channel} ${t.peer.kind}:${t.peer.id}${t.threadId === undefined ? '' : ` › thread ${t.threadId}`}`;

const statusColour = (status: string): string =>
  status === 'dispatched'
    ? style.green(status)
    : status === 'skipped'
      ? style.yellow(status)
      : status === 'pairing'
        ? style.magenta(status)
        : style.red(status);

/** Print the story per conversation: who said what, the decision, the session, the replies. */
export function printReport(report: DemoReport): void {
  for (const conversation of report.conversations) {
    console.log(style.bold(`\n┌─ ${conversation.title}`));
    for (const { message, receipt } of conversation.messages) {
      const who = message.sender.name ?? message.sender.id;
      console.log(`│ ${style.cyan(who)}: ${message.text}`);
      const session = receipt.sessionKey === undefined ? '' : `  session ${style.dim(receipt.sessionKey)}`;
      const agent = receipt.agentId === undefined ? '' : `  agent ${receipt.agentId}`;
      console.log(`│   ${statusColour(receipt.status)} (${receipt.reason})${agent}${session}`);
      if (receipt.status === 'skipped')
        console.log(style.dim('│     kept as context for the next answer in this chat'));
      for (const reply of report.replies.filter((r) => r.origin === message)) {
        const label = reply.kind === 'turn' ? '' : style.magenta(` [${reply.kind}]`);
        const [first = '', ...rest] = reply.sent.message.text.split('\n').filter((l) => l.trim() !== '');
        console.log(`│   ${style.green('↳ bot')}${label}: ${first}`);
        for (const line of rest.slice(0, 3)) console.log(`│          ${line}`);
        console.log(style.dim(`│     landed in ${where(reply.sent.target)}`));
      }
    }
    console.log('└─');
  }
  if (report.runs.length > 0) {
    console.log(style.bold('\nBackground runs'));
    for (const run of report.runs) {
      console.log(
        `  ${run.runId}  ${run.label ?? run.task}  ${style.green(run.status)}${run.announced ? ', announced' : ''}  ${style.dim(run.childSessionKey)}`,
      );
    }
  }
  console.log(style.bold('\nSessions (one transcript each)'));
  for (const [sessionKey, entries] of report.transcripts) {
    const ids = entries.filter((e) => e.messageId !== undefined).map((e) => e.messageId);
    console.log(`  ${style.dim(sessionKey)}  ${entries.length} entries, messages ${ids.join(', ') || '—'}`);
  }
  console.log(style.bold('\nChecks (computed from what the channels recorded)'));
  for (const check of report.checks) {
    console.log(`  ${check.ok ? style.green('✔') : style.red('✘')} ${check.name}`);
    for (const detail of check.details) console.log(style.red(`      ${detail}`));
  }
}
