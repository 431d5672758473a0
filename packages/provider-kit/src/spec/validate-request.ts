import { z } from 'zod';
import type { ModelRequest } from './request.js';

/** One problem found in a {@link ModelRequest}. */
export interface RequestIssue {
  /** Dotted path of the offending field, e.g. `messages.2.content.0.toolCallId`. */
  readonly path: string;
  /** What is wrong and what is allowed. */
  readonly message: string;
}

const nonEmpty = z.string().min(1, 'must be a non-empty string');
const textPart = z.object({ type: z.literal('text'), text: z.string() });
const imagePart = z.object({ type: z.literal('image'), data: nonEmpty, mediaType: nonEmpty });
const toolCallPart = z.object({
  type: z.literal('tool-call'),
  toolCallId: nonEmpty,
  toolName: nonEmpty,
  input: z.unknown(),
});
const toolResultPart = z.object({
  type: z.literal('tool-result'),
  toolCallId: nonEmpty,
  toolName: nonEmpty,
  output: z.unknown(),
  isError: z.boolean().optional(),
});
const message = z.discriminatedUnion('role', [
  z.object({
    role: z.literal('user'),
    content: z.union([z.string(), z.array(z.discriminatedUnion('type', [textPart, imagePart]))]),
  }),
  z.object({
    role: z.literal('assistant'),
    content: z.union([z.string(), z.array(z.discriminatedUnion('type', [textPart, toolCallPart]))]),
  }),
  z.object({
    role: z.literal('tool'),
    content: z.array(toolResultPart).min(1, 'needs at least one tool result'),
  }),
]);
const toolDefinition = z.object({
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, "_" or "-"'),
  description: z.string(),
  inputSchema: z.record(z.string(), z.unknown()),
});
const toolChoice = z.union([
  z.enum(['auto', 'none', 'required']),
  z.object({ type: z.literal('tool'), toolName: nonEmpty }),
]);

/** The zod schema of a {@link ModelRequest} (structure only; see {@link validateModelRequest} for the rest). */
export const modelRequestSchema = z.object({
  system: z.string().optional(),
  messages: z.array(message).min(1, 'must contain at least one message'),
  tools: z.array(toolDefinition).optional(),
  toolChoice: toolChoice.optional(),
  maxTokens: z.number().int().positive().optional(),
  temperature: z.number().min(0).optional(),
  stopSequences: z.array(z.string().min(1)).optional(),
  providerOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});

/**
 * Check a request before sending it: its shape, unique tool names, a `toolChoice` that names a
 * known tool, and tool results that answer a tool call made earlier. Returns every problem (empty
 * when the request is valid). Providers report problems as an `invalid_request` error part.
 */
export function validateModelRequest(request: unknown): RequestIssue[] {
  const parsed = modelRequestSchema.safeParse(request);
  if (!parsed.success) {
    return parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    }));
  }
  const issues: RequestIssue[] = [];
  const req = request as ModelRequest;
  const names = new Set<string>();
  req.tools?.forEach((tool, i) => {
    if (names.has(tool.name))
      issues.push({ path: `tools.${i}.name`, message: `duplicate tool name "${tool.name}"` });
    names.add(tool.name);
  });
  const choice = req.toolChoice;
  if (typeof choice === 'object' && !names.has(choice.toolName)) {
    issues.push({
      path: 'toolChoice.toolName',
      message: `"${choice.toolName}" is not one of the request's tools (${[...names].join(', ') || 'none'})`,
    });
  }
  const calls = new Set<string>();
  req.messages.forEach((msg, i) => {
    if (typeof msg.content === 'string') return;
    msg.content.forEach((part, j) => {
      if (part.type === 'tool-call') calls.add(part.toolCallId);
      if (part.type === 'tool-result' && !calls.has(part.toolCallId)) {
        issues.push({
          path: `messages.${i}.content.${j}.toolCallId`,
          message: `"${part.toolCallId}" answers no earlier tool call`,
        });
      }
    });
  });
  return issues;
}

/** The issues as one readable sentence, for error messages. */
export function formatRequestIssues(issues: readonly RequestIssue[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
}
