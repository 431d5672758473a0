export { runToolLoop } from './run-tool-loop.js';
export type {
  SteerHook,
  ToolExecution,
  ToolLoopOptions,
  ToolLoopResult,
  ToolLoopStep,
  ToolLoopStopReason,
  ToolPolicy,
} from './types.js';
