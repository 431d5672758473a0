import { parseConversationId, type ReplyTarget } from '@claw/channel-kit';
import type { ConversationBindings } from '../bindings/index.js';
import type { ConversationBinding, RunRecord } from '../stores/types.js';
import { runDetails } from './details.js';

/**
 * Results that mean "say nothing" (dispatch.md §4.5 step 3): the run is announced (and cleaned
 * up) without posting anything.
 */
export const SILENT_RESULTS: readonly string[] = Object.freeze(['NO_REPLY', 'ANNOUNCE_SKIP']);

/** True when a run's result is a silent token. */
export function isSilentResult(run: Pick<RunRecord, 'status' | 'result'>): boolean {
  return run.status === 'succeeded' && run.result !== undefined && SILENT_RESULTS.includes(run.result.trim());
}

const shorten = (text: string, max: number): string => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
};

/** A duration in words (`45 s`, `5 min`, `1 h 30 min`). */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  return min % 60 === 0 ? `${h} h` : `${h} h ${min % 60} min`;
}

/** The name of a run in announcements: its label, else the start of its task. */
export function runTitle(run: Pick<RunRecord, 'label' | 'task'>): string {
  const label = run.label?.trim();
  return label ? label : shorten(run.task, 60) || 'Background task';
}

/**
 * The default announcement of a finished run (dispatch.md §4.5 "direct completion message"):
 * a header from the run's status — never from the model's text — then, on success, the result.
 * - `✅ <title> finished` + the result
 * - `❌ <title> failed: <short error>`
 * - `⏱️ <title> timed out after <duration>`
 * - `🛑 <title> was cancelled`
 * - `⚠️ <title> was interrupted by a restart before it finished`
 */
export function formatAnnouncement(run: RunRecord): string {
  const title = runTitle(run);
  switch (run.status) {
    case 'succeeded': {
      const result = run.result?.trim() ?? '';
      return result === '' ? `✅ ${title} finished` : `✅ ${title} finished\n\n${result}`;
    }
    case 'failed':
      return `❌ ${title} failed: ${shorten(run.error ?? 'unknown error', 200)}`;
    case 'timed_out': {
      const timeoutMs = runDetails(run).timeoutMs;
      return timeoutMs === undefined
        ? `⏱️ ${title} timed out`
        : `⏱️ ${title} timed out after ${formatDuration(timeoutMs)}`;
    }
    case 'cancelled':
      return `🛑 ${title} was cancelled`;
    case 'interrupted':
      return `⚠️ ${title} was interrupted by a restart before it finished`;
    default:
      // Not reachable for a finished run; say something true rather than nothing.
      return `${title}: ${run.status}`;
  }
}

/**
 * Where a run's result is announced: its pinned origin, or a bound thread of the same
 * conversation (dispatch.md §4.5 step 6b, "bound conversation of the child"):
 * 1. a live `thread` binding to the child session in the origin's group → that thread;
 * 2. when the origin is not a thread, a live `thread` binding to the parent session in the
 *    origin's group → that thread (the conversation moved there, e.g. `/focus`);
 * 3. otherwise the origin itself (a thread stays that thread, whatever else is bound).
 *
 * Never another group, account or channel: a binding elsewhere is ignored. A binding whose
 * conversation id cannot be turned back into a thread of the origin's group is ignored too.
 */
export async function resolveAnnounceTarget(
  run: Pick<RunRecord, 'target' | 'childSessionKey' | 'parentSessionKey'>,
  bindings: Pick<ConversationBindings, 'list' | 'conversationIdOf'> | undefined,
): Promise<ReplyTarget> {
  const origin = run.target;
  if (bindings === undefined) return origin;
  const candidates = [
    await bindings.list({ targetSessionKey: run.childSessionKey }),
    origin.threadId === undefined ? await bindings.list({ targetSessionKey: run.parentSessionKey }) : [],
  ];
  for (const list of candidates) {
    // The newest binding wins, as a re-bind replaces an older one.
    const sorted = [...list].sort((a, b) => b.boundAt - a.boundAt);
    for (const binding of sorted) {
      const thread = threadTargetOf(binding, origin, bindings);
      if (thread !== undefined) return thread;
    }
  }
  return origin;
}

function threadTargetOf(
  binding: ConversationBinding,
  origin: ReplyTarget,
  bindings: Pick<ConversationBindings, 'conversationIdOf'>,
): ReplyTarget | undefined {
  if (binding.kind !== 'thread' || binding.channel !== origin.channel) return undefined;
  if (binding.accountId !== origin.accountId) return undefined;
  const { threadId } = parseConversationId(binding.conversationId);
  if (threadId === undefined || threadId === '') return undefined;
  const candidate: ReplyTarget = {
    channel: origin.channel,
    accountId: origin.accountId,
    peer: { kind: origin.peer.kind, id: origin.peer.id },
    threadId,
  };
  // Only a thread of the origin's own conversation: recompute its id with the adapter's rules
  // and require an exact match (this also rejects ids the default parser cannot read back).
  try {
    return bindings.conversationIdOf(candidate) === binding.conversationId ? candidate : undefined;
  } catch {
    return undefined;
  }
}
