export {
  formatAnnouncement,
  formatDuration,
  isSilentResult,
  resolveAnnounceTarget,
  runTitle,
  SILENT_RESULTS,
} from './announce.js';
export {
  CHILD_POLICY_SOURCE,
  CHILD_TOOL_DENY,
  type ChildToolPolicyOptions,
  childToolPolicy,
} from './child-policy.js';
export { BACKGROUND_META_KEY, type BackgroundRunDetails, runDetails } from './details.js';
export {
  BackgroundRunsStoppedError,
  InvalidSpawnOptionsError,
  NestedSpawnError,
  SpawnLimitError,
  type SpawnLimitKind,
} from './errors.js';
export { createBackgroundRuns } from './manager.js';
export { defaultAnnounceRetry, defaultBackgroundConfig } from './options.js';
export {
  SPAWN_ACCEPTED_NOTE,
  SPAWN_TOOL_NAME,
  type SpawnToolInput,
  type SpawnToolResult,
  spawnTool,
} from './spawn-tool.js';
export type {
  AnnounceRetrySettings,
  BackgroundClock,
  BackgroundEventTarget,
  BackgroundLogger,
  BackgroundRecoveryReport,
  BackgroundRuns,
  BackgroundRunsConfig,
  BackgroundRunsOptions,
  BackgroundRunsStats,
  RunChild,
  RunChildInput,
  RunChildResult,
  SpawnAccepted,
  SpawnOptions,
  SpawnParent,
} from './types.js';
