export {
  type ClawConfig,
  type CompileClawConfigOptions,
  type CompiledClawConfig,
  compileClawConfig,
  DEFAULT_APOLOGY,
  type GatewayConfigInput,
  type GatewaySettings,
  gatewayConfigSchema,
  type QueueConfigInput,
  type QueueSettingsInput,
  queueConfigSchema,
} from './config.js';
export { createClaw } from './create-claw.js';
export { ClawStoppedError, TurnEndedError, UnknownChannelError } from './errors.js';
export { type ClawLogger, type LogFields, silentLogger, withLogFields } from './logger.js';
export { GatewayReasons } from './pipeline.js';
export { intersectToolPolicies } from './tool-policies.js';
export type {
  Claw,
  ClawOptions,
  ClawRuns,
  ClawState,
  ClawStopReport,
  Clock,
  ReceiptStatus,
  ReceiveReceipt,
  TurnOutcome,
  TurnRef,
  UnprocessedMessage,
} from './types.js';
