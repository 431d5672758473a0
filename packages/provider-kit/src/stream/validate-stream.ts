import { ModelError } from '../errors/model-error.js';
import type { StreamPart } from '../spec/stream.js';

/** One violation of the stream grammar. */
export interface StreamIssue {
  /** 0-based index of the offending part (the stream's length for "ended without finish or error"). */
  readonly index: number;
  /** What is wrong, in plain words. */
  readonly message: string;
}

/** The verdict of {@link validateStream}. */
export interface StreamValidation {
  /** True when the stream follows the grammar. */
  readonly ok: boolean;
  /** Every violation found, in stream order. */
  readonly issues: readonly StreamIssue[];
  /** The parts that were checked (collected from the stream). */
  readonly parts: readonly StreamPart[];
}

/**
 * An incremental checker of the stream grammar: feed it parts as they arrive, then call `end()`.
 * Use it to check a live stream without buffering it (the conformance kit and `generate` do).
 */
export interface StreamValidator {
  /** Check the next part; returns the violations it causes (usually none). */
  push(part: StreamPart): readonly StreamIssue[];
  /** The stream ended; returns the violations that causes (e.g. no `finish`). */
  end(): readonly StreamIssue[];
  /** Every violation found so far. */
  readonly issues: readonly StreamIssue[];
}

const partTypes = new Set([
  'text-delta',
  'tool-call-start',
  'tool-call-delta',
  'tool-call-end',
  'finish',
  'error',
]);
const stopReasons = new Set(['end', 'tool_calls', 'max_tokens', 'stop_sequence']);

/** Create a {@link StreamValidator} for one stream. */
export function createStreamValidator(): StreamValidator {
  const issues: StreamIssue[] = [];
  const seenIds = new Set<string>();
  let index = 0;
  let open: { id: string; name: string } | undefined;
  let closed = false;
  let toolCalls = 0;

  function check(part: StreamPart, at: number): string[] {
    const problems: string[] = [];
    if (
      typeof part !== 'object' ||
      part === null ||
      !partTypes.has((part as { type?: unknown }).type as string)
    ) {
      return [`unknown part ${safeJson(part)}; allowed types: ${[...partTypes].join(', ')}`];
    }
    if (closed) problems.push(`"${part.type}" after the stream already ended with finish or error`);
    switch (part.type) {
      case 'text-delta':
        if (typeof part.text !== 'string' || part.text === '')
          problems.push('text-delta with empty or non-string text');
        if (open) problems.push(`text-delta inside the open tool call "${open.id}" (end it first)`);
        break;
      case 'tool-call-start':
        if (!nonEmpty(part.toolCallId)) problems.push('tool-call-start without a toolCallId');
        if (!nonEmpty(part.toolName)) problems.push('tool-call-start without a toolName');
        if (open) problems.push(`tool-call-start "${part.toolCallId}" while "${open.id}" is still open`);
        if (seenIds.has(part.toolCallId)) problems.push(`toolCallId "${part.toolCallId}" used twice`);
        seenIds.add(part.toolCallId);
        open = { id: part.toolCallId, name: part.toolName };
        break;
      case 'tool-call-delta':
        if (!open) problems.push(`tool-call-delta for "${part.toolCallId}" with no open tool call`);
        else if (part.toolCallId !== open.id)
          problems.push(`tool-call-delta for "${part.toolCallId}" while "${open.id}" is open`);
        if (typeof part.inputTextDelta !== 'string' || part.inputTextDelta === '')
          problems.push('tool-call-delta with empty or non-string inputTextDelta');
        break;
      case 'tool-call-end':
        if (!open) problems.push(`tool-call-end for "${part.toolCallId}" with no open tool call`);
        else {
          if (part.toolCallId !== open.id)
            problems.push(`tool-call-end for "${part.toolCallId}" while "${open.id}" is open`);
          if (part.toolName !== open.name)
            problems.push(`tool-call-end names "${part.toolName}" but the call started as "${open.name}"`);
        }
        if (!('input' in part)) problems.push('tool-call-end without input');
        if (part.inputParseError !== undefined && typeof part.input !== 'string')
          problems.push('tool-call-end with inputParseError must carry the raw input text');
        open = undefined;
        toolCalls += 1;
        break;
      case 'finish': {
        if (open) problems.push(`finish while tool call "${open.id}" is open`);
        if (!stopReasons.has(part.stopReason))
          problems.push(
            `finish with stopReason ${safeJson(part.stopReason)}; allowed: ${[...stopReasons].join(', ')}`,
          );
        if (part.stopReason === 'tool_calls' && toolCalls === 0)
          problems.push('finish with stopReason "tool_calls" but the stream has no tool call');
        const usage = part.usage as unknown as Record<string, unknown> | undefined;
        if (!usage || !isCount(usage['inputTokens']) || !isCount(usage['outputTokens']))
          problems.push('finish without usage { inputTokens, outputTokens } as non-negative integers');
        closed = true;
        break;
      }
      case 'error':
        if (!ModelError.isInstance(part.error)) problems.push('error part whose error is not a ModelError');
        else if (at > 0 && !part.error.afterFirstPart)
          problems.push('error after streamed parts must have afterFirstPart: true');
        else if (at === 0 && part.error.afterFirstPart)
          problems.push('error as the first part must have afterFirstPart: false');
        closed = true;
        break;
    }
    return problems;
  }

  return {
    push(part) {
      const at = index;
      const found = check(part, at).map((message) => ({ index: at, message }));
      index += 1;
      issues.push(...found);
      return found;
    },
    end() {
      const found: StreamIssue[] = [];
      if (!closed) found.push({ index, message: 'stream ended without a finish or error part' });
      issues.push(...found);
      return found;
    },
    get issues() {
      return issues;
    },
  };
}

/**
 * Check a whole stream against the grammar (see `StreamPart`). Consumes an async stream fully.
 * An exception thrown by the stream itself is reported as an issue (models must not throw).
 */
export async function validateStream(
  stream: Iterable<StreamPart> | AsyncIterable<StreamPart>,
): Promise<StreamValidation> {
  const validator = createStreamValidator();
  const parts: StreamPart[] = [];
  const thrown: StreamIssue[] = [];
  try {
    for await (const part of stream) {
      parts.push(part);
      validator.push(part);
    }
  } catch (error) {
    thrown.push({
      index: parts.length,
      message: `the stream threw instead of ending with an error part: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
  validator.end();
  const issues = [...validator.issues, ...thrown].sort((a, b) => a.index - b.index);
  return { ok: issues.length === 0, issues, parts };
}

function nonEmpty(value: unknown): boolean {
  return typeof value === 'string' && value !== '';
}

function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
