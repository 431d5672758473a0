export { channelConformance } from './channel-conformance.js';
export { type ConformanceCheck, conformanceChecks, runConformanceCheck } from './checks.js';
export { ConformanceError } from './conformance-error.js';
export type {
  ChannelConformanceOptions,
  CheckOutcome,
  ConformanceTargets,
  InboundRequest,
  MakeAdapter,
  PlatformMessage,
} from './types.js';
