import type { LanguageModel, ModelMessage, ModelRequest, StreamPart } from '@claw/provider-kit';

/** The text of a message's content (string or text parts). */
function textOf(message: ModelMessage | undefined): string {
  if (message === undefined) return '';
  if (typeof message.content === 'string') return message.content;
  return message.content
    .map((part) => ('text' in part && typeof part.text === 'string' ? part.text : ''))
    .join('');
}

/** Stream `text` in a few word-sized deltas, as a real model would. */
function* textParts(text: string): Generator<StreamPart> {
  for (const piece of text.match(/\S+\s*/g) ?? [text]) yield { type: 'text-delta', text: piece };
}

const usage = { inputTokens: 0, outputTokens: 0 };

/**
 * What the scripted model says to the last user message. Deterministic, keyword-driven: enough to
 * show the gateway's behaviour (replies, background runs, group context) without an API key.
 */
function answer(request: ModelRequest): { text?: string; spawn?: { task: string; label: string }[] } {
  const last = request.messages.at(-1);
  if (last?.role === 'tool') {
    return { text: 'Got it ✅ Two background analyses are running; the results will be posted right here.' };
  }
  const text = textOf(last).toLowerCase();
  const canSpawn = request.tools?.some((tool) => tool.name === 'sessions_spawn') === true;
  if (canSpawn && /analy[sz]e/.test(text) && /\ba\b/.test(text) && /\bb\b/.test(text)) {
    return {
      spawn: [
        { task: 'Analyse document A (the Q3 architecture review)', label: 'analysis of document A' },
        { task: 'Analyse document B (the incident post-mortem)', label: 'analysis of document B' },
      ],
    };
  }
  const context = /since your last reply/.test(text)
    ? ' (I also read the earlier messages in this chat.)'
    : '';
  if (text.includes('document a'))
    return { text: 'Document A: the design holds; 2 risks — the cache layer and the migration order.' };
  if (text.includes('document b'))
    return { text: 'Document B: root cause was an expired certificate; 3 follow-ups proposed.' };
  if (text.includes('release plan'))
    return { text: `Release plan: freeze Tuesday, RC Wednesday, ship Thursday 10:00.${context}` };
  if (text.includes('ci'))
    return {
      text: 'CI failed in `pnpm test`: a snapshot changed in packages/core. Re-run after updating it.',
    };
  if (text.includes('changelog'))
    return { text: `Changelog draft: 12 fixes, 3 features, 1 breaking change.${context}` };
  if (text.includes('between us')) return { text: 'Understood — this stays in our DM.' };
  return { text: `Noted: "${textOf(last).slice(0, 60)}"${context}` };
}

/**
 * A deterministic stand-in for an LLM, used by the demo when no API key is set. It speaks the
 * provider-kit stream grammar like any provider, including tool calls to `sessions_spawn`.
 */
export function createScriptedModel(): LanguageModel {
  let calls = 0;
  return {
    specificationVersion: 'v1',
    provider: 'scripted',
    modelId: 'demo',
    capabilities: { tools: true, streaming: true, images: false },
    async *stream(request) {
      // Let other sessions interleave, as concurrent model calls would.
      await new Promise((resolve) => setImmediate(resolve));
      const reply = answer(request);
      if (reply.spawn !== undefined) {
        for (const call of reply.spawn) {
          const toolCallId = `call_${++calls}`;
          const input = JSON.stringify(call);
          yield { type: 'tool-call-start', toolCallId, toolName: 'sessions_spawn' };
          yield { type: 'tool-call-delta', toolCallId, inputTextDelta: input };
          yield { type: 'tool-call-end', toolCallId, toolName: 'sessions_spawn', input: call };
        }
        yield { type: 'finish', stopReason: 'tool_calls', usage };
        return;
      }
      yield* textParts(reply.text ?? '');
      yield { type: 'finish', stopReason: 'end', usage };
    },
  };
}
