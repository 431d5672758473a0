export { type LlmAgentOptions, llmAgent } from './llm-agent.js';
export {
  COLLECTED_MESSAGES_HEADER,
  messageText,
  overflowText,
  steeredUserMessage,
  transcriptToModelMessages,
  turnUserMessage,
} from './model-messages.js';
export type {
  AgentHandler,
  AgentHandlerResult,
  QueueOverflow,
  SteeredMessage,
  TranscriptInput,
  TurnContext,
  TurnSteerInbox,
} from './types.js';
