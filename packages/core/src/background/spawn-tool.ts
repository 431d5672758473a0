import { defineTool, type Tool } from '@claw/provider-kit';
import { z } from 'zod';
import {
  BackgroundRunsStoppedError,
  InvalidSpawnOptionsError,
  NestedSpawnError,
  SpawnLimitError,
} from './errors.js';
import type { SpawnAccepted, SpawnOptions } from './types.js';

/** Name of the spawn tool (OpenClaw's `sessions_spawn`; in `group:sessions`, so children never get it). */
export const SPAWN_TOOL_NAME = 'sessions_spawn';

/** What the model may send. No delivery parameter exists: the result goes back where it was asked. */
const spawnToolInput = z.strictObject({
  task: z
    .string()
    .min(1)
    .describe('The complete task for the background agent, with everything it needs to know.'),
  label: z
    .string()
    .min(1)
    .max(120)
    .optional()
    .describe('A short name for the task, shown when its result arrives.'),
  agentId: z.string().min(1).max(64).optional().describe('Agent to run the task. Default: this agent.'),
  cleanup: z
    .enum(['delete', 'keep'])
    .optional()
    .describe(
      '"delete" removes the background session once its result was posted; "keep" (default) archives it.',
    ),
  timeoutMs: z.number().int().positive().optional().describe('Abort the task after this many milliseconds.'),
});

/** Input of the spawn tool, as validated. */
export type SpawnToolInput = z.output<typeof spawnToolInput>;

/**
 * What the spawn tool returns to the model (dispatch.md §4.1): `accepted` with the run id and child
 * session key, `forbidden` (nested spawn, limits, stopping) or `error` (bad input), with a note.
 */
export type SpawnToolResult =
  | {
      readonly status: 'accepted';
      readonly runId: string;
      readonly childSessionKey: string;
      readonly note: string;
    }
  | { readonly status: 'forbidden' | 'error'; readonly error: string };

/** The note returned with `accepted`: push-based announce, so the model must not wait or poll. */
export const SPAWN_ACCEPTED_NOTE =
  'Accepted: the task runs in the background and its result is posted to this conversation automatically ' +
  'when it finishes. Do not wait for it or poll; tell the user it is under way and carry on.';

/**
 * The `sessions_spawn` tool for `llmAgent`: lets the model start a background run. Give it the
 * turn's spawn function (`ctx.spawn`); the tool adds nothing to it but input validation, so every
 * rule of `spawn` (no nesting, limits, the pinned target) applies unchanged. Refusals come back to
 * the model as a `forbidden`/`error` result rather than a thrown error, so it can tell the user.
 *
 * @example
 * const tools = [spawnTool((options) => ctx.spawn(options)), ...otherTools];
 */
export function spawnTool(
  spawn: (options: SpawnOptions) => Promise<SpawnAccepted>,
): Tool<SpawnToolInput, SpawnToolResult> {
  if (typeof spawn !== 'function') {
    throw new TypeError('spawnTool(spawn): spawn must be a function (options) => Promise<SpawnAccepted>.');
  }
  return defineTool({
    name: SPAWN_TOOL_NAME,
    description:
      'Start a background task with its own session (for long or parallel work: research, analysing ' +
      'several documents, summaries). Returns at once; the result is posted to this same conversation ' +
      'and thread when the task finishes. Background tasks cannot start further background tasks.',
    input: spawnToolInput,
    async execute(input): Promise<SpawnToolResult> {
      const options: SpawnOptions = {
        task: input.task,
        ...(input.label === undefined ? {} : { label: input.label }),
        ...(input.agentId === undefined ? {} : { agentId: input.agentId }),
        ...(input.cleanup === undefined ? {} : { cleanup: input.cleanup }),
        ...(input.timeoutMs === undefined ? {} : { timeoutMs: input.timeoutMs }),
      };
      try {
        const accepted = await spawn(options);
        return {
          status: 'accepted',
          runId: accepted.runId,
          childSessionKey: accepted.sessionKey,
          note: SPAWN_ACCEPTED_NOTE,
        };
      } catch (error) {
        if (
          NestedSpawnError.isInstance(error) ||
          SpawnLimitError.isInstance(error) ||
          BackgroundRunsStoppedError.isInstance(error)
        ) {
          return { status: 'forbidden', error: error.message };
        }
        if (InvalidSpawnOptionsError.isInstance(error)) return { status: 'error', error: error.message };
        throw error;
      }
    },
  });
}
