import type { ModelMessage } from '../spec/messages.js';
import type { ModelRequest } from '../spec/request.js';

/** A chat-completions message as the API expects it. */
type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | ChatContentPart[] }
  | { role: 'assistant'; content: string | null; tool_calls?: ChatToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

type ChatContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** Options that shape the request body beyond the `ModelRequest`. */
export interface ChatRequestSettings {
  /** Provider name: `request.providerOptions[name]` is merged into the body. */
  readonly name: string;
  /** Ask for a final usage chunk (`stream_options.include_usage`). */
  readonly includeUsage: boolean;
  /** Name of the token limit parameter (`max_tokens`, or `max_completion_tokens` for OpenAI reasoning models). */
  readonly maxTokensParam: 'max_tokens' | 'max_completion_tokens';
}

/** The chat-completions request body for a `ModelRequest`. */
export function toChatCompletionsBody(
  modelId: string,
  request: ModelRequest,
  settings: ChatRequestSettings,
): Record<string, unknown> {
  const messages: ChatMessage[] = [];
  if (request.system !== undefined && request.system !== '')
    messages.push({ role: 'system', content: request.system });
  for (const message of request.messages) messages.push(...toChatMessages(message));
  const tools = request.tools ?? [];
  const choice = request.toolChoice;
  return {
    model: modelId,
    messages,
    stream: true,
    ...(settings.includeUsage ? { stream_options: { include_usage: true } } : {}),
    ...(tools.length > 0
      ? {
          tools: tools.map((tool) => ({
            type: 'function',
            function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
          })),
          ...(choice === undefined
            ? {}
            : {
                tool_choice:
                  typeof choice === 'string'
                    ? choice
                    : { type: 'function', function: { name: choice.toolName } },
              }),
        }
      : {}),
    ...(request.maxTokens === undefined ? {} : { [settings.maxTokensParam]: request.maxTokens }),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.stopSequences === undefined || request.stopSequences.length === 0
      ? {}
      : { stop: [...request.stopSequences] }),
    ...request.providerOptions?.[settings.name],
  };
}

function toChatMessages(message: ModelMessage): ChatMessage[] {
  switch (message.role) {
    case 'user': {
      if (typeof message.content === 'string') return [{ role: 'user', content: message.content }];
      const parts = message.content.map(
        (part): ChatContentPart =>
          part.type === 'text'
            ? { type: 'text', text: part.text }
            : {
                type: 'image_url',
                image_url: {
                  url: isUrl(part.data) ? part.data : `data:${part.mediaType};base64,${part.data}`,
                },
              },
      );
      // Many OpenAI-compatible servers accept only string content: send one when there is only text.
      const only = parts[0];
      return [{ role: 'user', content: parts.length === 1 && only?.type === 'text' ? only.text : parts }];
    }
    case 'assistant': {
      if (typeof message.content === 'string') return [{ role: 'assistant', content: message.content }];
      const text = message.content.map((p) => (p.type === 'text' ? p.text : '')).join('');
      const calls: ChatToolCall[] = message.content.flatMap((p) =>
        p.type === 'tool-call'
          ? [
              {
                id: p.toolCallId,
                type: 'function' as const,
                function: { name: p.toolName, arguments: JSON.stringify(p.input ?? {}) },
              },
            ]
          : [],
      );
      return [
        {
          role: 'assistant',
          content: text === '' ? null : text,
          ...(calls.length > 0 ? { tool_calls: calls } : {}),
        },
      ];
    }
    case 'tool':
      return message.content.map((result) => ({
        role: 'tool',
        tool_call_id: result.toolCallId,
        content: toolOutputText(result.output, result.isError === true),
      }));
  }
}

/** Tool output as text; chat-completions has no error flag, so failed calls are marked in the text. */
export function toolOutputText(output: unknown, isError: boolean): string {
  const text = typeof output === 'string' ? output : (JSON.stringify(output) ?? 'null');
  return isError && !/^error\b/i.test(text) ? `Error: ${text}` : text;
}

function isUrl(data: string): boolean {
  return /^https?:\/\//i.test(data);
}
