import type { InboundMessage } from '@claw/channel-kit';
import type { AssistantMessage, ModelMessage, ToolMessage, UserMessage } from '@claw/provider-kit';
import {
  formatGroupHistory,
  type GroupHistoryEntry,
  historyEntryFromMessage,
} from '../group-history/index.js';
import type { TranscriptEntry } from '../stores/types.js';
import type { QueueOverflow, SteeredMessage } from './types.js';

/** The title OpenClaw puts above messages merged by the `collect` queue mode. */
export const COLLECTED_MESSAGES_HEADER = '[Queued messages while agent was busy]';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A stored `data` that is a provider-kit message of the entry's own role. */
function storedMessage(entry: TranscriptEntry): ModelMessage | undefined {
  const data = entry.data;
  if (!isRecord(data) || data['role'] !== entry.role) return undefined;
  const content = data['content'];
  if (entry.role === 'tool')
    return Array.isArray(content) && content.length > 0 ? (data as unknown as ToolMessage) : undefined;
  return typeof content === 'string' || Array.isArray(content)
    ? (data as unknown as UserMessage | AssistantMessage)
    : undefined;
}

/**
 * A session transcript as model messages: user and assistant text, and the tool calls and
 * results a tool loop recorded (`data`). System entries are left out, and so is what a limited
 * read cut in half: the history starts at a user message, tool results answer a call made just
 * before them, and tool calls whose results are missing (a crash mid-turn) are dropped.
 */
export function transcriptToModelMessages(entries: readonly TranscriptEntry[]): ModelMessage[] {
  const raw: ModelMessage[] = [];
  for (const entry of entries) {
    if (entry.role === 'system') continue;
    const stored = storedMessage(entry);
    if (stored !== undefined) raw.push(stored);
    else if (entry.role !== 'tool' && entry.text.trim() !== '')
      raw.push({ role: entry.role, content: entry.text });
  }
  const first = raw.findIndex((m) => m.role === 'user');
  if (first < 0) return [];
  const out: ModelMessage[] = [];
  for (let i = first; i < raw.length; i++) {
    const message = raw[i]!;
    if (message.role === 'tool') continue; // kept only right after its calls (below)
    if (message.role !== 'assistant' || typeof message.content === 'string') {
      out.push(message);
      continue;
    }
    const calls = message.content.filter((p) => p.type === 'tool-call');
    if (calls.length === 0) {
      out.push(message);
      continue;
    }
    const next = raw[i + 1];
    const answered = new Set(next?.role === 'tool' ? next.content.map((r) => r.toolCallId) : []);
    const content = message.content.filter((p) => p.type !== 'tool-call' || answered.has(p.toolCallId));
    const kept = new Set(content.filter((p) => p.type === 'tool-call').map((p) => p.toolCallId));
    if (content.length > 0) out.push({ role: 'assistant', content });
    if (next?.role === 'tool' && kept.size > 0) {
      out.push({ role: 'tool', content: next.content.filter((r) => kept.has(r.toolCallId)) });
    }
  }
  return out;
}

/** How a message is shown to the model: with its sender in groups (several people talk there). */
export function messageText(message: InboundMessage): string {
  const text = message.text.trim() === '' ? '(a message without text)' : message.text;
  return message.peer.kind === 'direct' ? text : `${historyEntryFromMessage(message).sender}: ${text}`;
}

/** The overflow notice of the `summarize` drop policy (OpenClaw's wording). */
export function overflowText(overflow: QueueOverflow): string {
  return [
    `[Queue overflow] Dropped ${overflow.dropped} message(s) due to cap.`,
    'Summary:',
    ...overflow.summaries.map((line) => `- ${line}`),
  ].join('\n');
}

/**
 * The user message of a turn: the overflow notice (if messages were dropped), the pending group
 * history under `[Chat messages since your last reply - for context]`, and the message — or, in
 * `collect` mode, the messages under `[Queued messages while agent was busy]`.
 */
export function turnUserMessage(turn: {
  readonly messages: readonly InboundMessage[];
  readonly history: readonly GroupHistoryEntry[];
  readonly overflow?: QueueOverflow;
}): UserMessage {
  const body =
    turn.messages.length === 1
      ? messageText(turn.messages[0]!)
      : [
          COLLECTED_MESSAGES_HEADER,
          ...turn.messages.map((m, i) => `---\nQueued #${i + 1}\n${messageText(m)}`),
        ].join('\n\n');
  const text = formatGroupHistory(turn.history, body);
  return {
    role: 'user',
    content: turn.overflow === undefined ? text : `${overflowText(turn.overflow)}\n\n${text}`,
  };
}

/** A message steered into a running turn, as a user message (with its own group context). */
export function steeredUserMessage(steered: SteeredMessage): UserMessage {
  return { role: 'user', content: formatGroupHistory(steered.history, messageText(steered.message)) };
}
