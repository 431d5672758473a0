export { createManualClock, type ManualClock } from './manual-clock.js';
export {
  type StoreConformanceCheck,
  type StoreConformanceContext,
  type StoreConformanceOptions,
  storeConformance,
  storeConformanceChecks,
} from './store-conformance.js';
export {
  createTestClaw,
  type RecordedEvent,
  type TestClaw,
  type TestClawOptions,
  type TestSendResult,
} from './test-claw.js';
