export { assertLanguageModel } from './assert-model.js';
export type { JsonSchema, JsonValue } from './json.js';
export type {
  AssistantMessage,
  ContentPart,
  ImagePart,
  ModelMessage,
  TextPart,
  ToolCallPart,
  ToolMessage,
  ToolResultPart,
  UserMessage,
} from './messages.js';
export type { LanguageModel, ModelCapabilities, Provider, StreamOptions } from './model.js';
export type { ModelRequest, ToolChoice, ToolDefinition } from './request.js';
export type {
  ErrorPart,
  FinishPart,
  ResponseInfo,
  StopReason,
  StreamPart,
  TextDeltaPart,
  ToolCallDeltaPart,
  ToolCallEndPart,
  ToolCallStartPart,
  Usage,
} from './stream.js';
export {
  formatRequestIssues,
  modelRequestSchema,
  type RequestIssue,
  validateModelRequest,
} from './validate-request.js';
