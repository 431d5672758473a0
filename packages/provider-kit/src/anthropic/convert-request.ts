import type { ModelMessage } from '../spec/messages.js';
import type { ModelRequest } from '../spec/request.js';

type Block = Record<string, unknown>;
interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: Block[];
}

/**
 * The Messages API body for a `ModelRequest`. Tool results travel in user turns (as the API
 * requires), consecutive turns of the same role are merged, and empty text blocks (which the API
 * rejects) are dropped.
 */
export function toMessagesBody(
  modelId: string,
  request: ModelRequest,
  settings: { readonly defaultMaxTokens: number },
): Record<string, unknown> {
  const messages: AnthropicMessage[] = [];
  for (const message of request.messages) {
    const converted = toAnthropicMessage(message);
    const previous = messages[messages.length - 1];
    if (previous && previous.role === converted.role) {
      // Tool results must come first in a user turn; they do, because a tool message only ever
      // follows the assistant turn that made the calls.
      previous.content.push(...converted.content);
    } else {
      messages.push(converted);
    }
  }
  const tools = request.tools ?? [];
  const choice = request.toolChoice;
  return {
    model: modelId,
    max_tokens: request.maxTokens ?? settings.defaultMaxTokens,
    messages,
    stream: true,
    ...(request.system !== undefined && request.system !== '' ? { system: request.system } : {}),
    ...(tools.length > 0
      ? {
          tools: tools.map((tool) => ({
            name: tool.name,
            description: tool.description,
            input_schema: tool.inputSchema,
          })),
          ...(choice === undefined ? {} : { tool_choice: toToolChoice(choice) }),
        }
      : {}),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.stopSequences === undefined || request.stopSequences.length === 0
      ? {}
      : { stop_sequences: [...request.stopSequences] }),
    ...request.providerOptions?.['anthropic'],
  };
}

function toToolChoice(choice: NonNullable<ModelRequest['toolChoice']>): Block {
  if (typeof choice === 'object') return { type: 'tool', name: choice.toolName };
  return { type: choice === 'required' ? 'any' : choice };
}

function toAnthropicMessage(message: ModelMessage): AnthropicMessage {
  switch (message.role) {
    case 'user':
      return {
        role: 'user',
        content:
          typeof message.content === 'string'
            ? textBlocks(message.content)
            : message.content.flatMap((part) =>
                part.type === 'text'
                  ? textBlocks(part.text)
                  : [
                      {
                        type: 'image',
                        source: /^https?:\/\//i.test(part.data)
                          ? { type: 'url', url: part.data }
                          : { type: 'base64', media_type: part.mediaType, data: part.data },
                      },
                    ],
              ),
      };
    case 'assistant':
      return {
        role: 'assistant',
        content:
          typeof message.content === 'string'
            ? textBlocks(message.content)
            : message.content.flatMap((part) =>
                part.type === 'text'
                  ? textBlocks(part.text)
                  : [{ type: 'tool_use', id: part.toolCallId, name: part.toolName, input: part.input ?? {} }],
              ),
      };
    case 'tool':
      return {
        role: 'user',
        content: message.content.map((result) => ({
          type: 'tool_result',
          tool_use_id: result.toolCallId,
          content:
            typeof result.output === 'string' ? result.output : (JSON.stringify(result.output) ?? 'null'),
          ...(result.isError ? { is_error: true } : {}),
        })),
      };
  }
}

function textBlocks(text: string): Block[] {
  return text === '' ? [] : [{ type: 'text', text }];
}
