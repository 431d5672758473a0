import type { ReplyTarget } from '@claw/channel-kit';
import type { JsonValue, RunRecord } from '../stores/types.js';
import type { ToolPolicyLayerInfo } from '../tool-policy/index.js';

/** The key of `RunRecord.meta` that holds the background manager's bookkeeping. */
export const BACKGROUND_META_KEY = 'background';

/**
 * What the background manager keeps about a run beyond the `RunRecord` fields, stored under
 * `run.meta.background` (plain JSON, so any run store keeps it and a restart finds it again).
 */
export interface BackgroundRunDetails {
  /** The agent of the parent turn (trace id of the events). */
  readonly parentAgentId?: string;
  /** The parent turn (trace id of the events). */
  readonly parentTurnId?: string;
  /** The timeout in force, in ms (absent: none). */
  readonly timeoutMs?: number;
  /** Model override passed to `runChild`. */
  readonly model?: string;
  /**
   * The parent's tool policy layers, as plain data: a re-run after a restart gets the same
   * (narrowed) policy as the first run, never a wider one.
   */
  readonly parentToolLayers?: readonly ToolPolicyLayerInfo[];
  /** Where the announce goes, fixed at the first attempt (so retries and restarts agree). */
  readonly announceTarget?: ReplyTarget;
  /** Announce attempts made so far. */
  readonly announceAttempts?: number;
  /** When the announce was given up (the run is then archived without an announce). */
  readonly announceGaveUpAt?: number;
  /** Why it was given up. */
  readonly announceError?: string;
  /** The result was a silent token (`NO_REPLY`, `ANNOUNCE_SKIP`): nothing was posted. */
  readonly silent?: boolean;
  /** When the child session and transcript were removed (`cleanup: 'delete'`). */
  readonly cleanedAt?: number;
  /** When the run was archived (`cleanup: 'keep'`, or after a give-up). */
  readonly archivedAt?: number;
  /** When the sweeper removes the run (record, child session, transcript). */
  readonly archiveAt?: number;
  /** How often a restart re-ran it (`retryOnRestart`). */
  readonly restarts?: number;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The background bookkeeping of a run record (empty for a record written by someone else). */
export function runDetails(run: RunRecord): BackgroundRunDetails {
  const value = run.meta?.[BACKGROUND_META_KEY];
  return isObject(value) ? (value as BackgroundRunDetails) : {};
}

/**
 * `run` with its bookkeeping changed by `patch` (other `meta` keys are kept; a field set to
 * `undefined` is removed).
 */
export function withDetails(
  run: RunRecord,
  patch: { readonly [K in keyof BackgroundRunDetails]?: BackgroundRunDetails[K] | undefined },
): RunRecord {
  const merged = { ...runDetails(run), ...patch };
  // Drop undefined fields: stores keep JSON, where they do not exist.
  const clean = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined));
  return { ...run, meta: { ...run.meta, [BACKGROUND_META_KEY]: clean as unknown as JsonValue } };
}
