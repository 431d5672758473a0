export * from './conformance/index.js';
export { testChannelConformanceOptions } from './conformance/test-channel-options.js';
export {
  type AttemptRecord,
  createTestChannel,
  type EditRecord,
  type GroupMessageOptions,
  type InjectedFailure,
  type MessageOptions,
  type ReactionRecord,
  type SentMessage,
  type TargetFilter,
  type TestChannel,
  type TestChannelOptions,
  type ThreadMessageOptions,
  type TopicMessageOptions,
  type TypingRecord,
  testChannelCapabilities,
} from './test-channel.js';
