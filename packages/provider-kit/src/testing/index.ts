// Test helpers for @claw/provider-kit: a scripted mock model, the provider conformance kit
// (a vitest suite; vitest is an optional peer dependency) and a local server replaying recorded
// HTTP responses.

export { type ProviderConformanceOptions, providerConformance } from './conformance.js';
export {
  ConformanceError,
  type ConformanceScenario,
  checkAbortBeforeStart,
  checkAbortMidStream,
  checkEarlyBreak,
  checkErrorKind,
  checkInvalidRequest,
  checkTextTurn,
  checkToolCallTurn,
  conformanceRequest,
  conformanceWeatherTool,
} from './conformance-checks.js';
export {
  createMockModel,
  type MockCall,
  type MockModel,
  type MockModelOptions,
  type MockResponse,
  type MockScript,
  type MockToolCall,
} from './mock-model.js';
export {
  parseRecordedResponse,
  type RecordedResponse,
  type ReplayedRequest,
  type ReplayOptions,
  type ReplayServer,
  startReplayServer,
} from './replay-server.js';
