import type { ChannelAdapter } from '@claw/channel-kit';
import type { ConfigIssue } from '../errors/index.js';

/**
 * The channel adapters a part of the core may use, in whichever shape the host has them: a map
 * or record keyed by channel id, or a list of adapters (keyed by their `id`).
 */
export type ChannelRegistry =
  | ReadonlyMap<string, ChannelAdapter>
  | { readonly [channelId: string]: ChannelAdapter }
  | readonly ChannelAdapter[];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/**
 * Normalise a {@link ChannelRegistry} into a map, collecting a {@link ConfigIssue} (under `path`)
 * for every entry that is not a usable adapter or whose key disagrees with its `id`.
 */
export function toChannelMap(
  registry: unknown,
  path: string,
  issues: ConfigIssue[],
): ReadonlyMap<string, ChannelAdapter> {
  const map = new Map<string, ChannelAdapter>();
  let entries: [string | undefined, unknown, string][];
  if (registry instanceof Map) {
    entries = [...registry.entries()].map(([key, adapter]) => [
      String(key),
      adapter,
      `${path}.${String(key)}`,
    ]);
  } else if (Array.isArray(registry)) {
    entries = registry.map((adapter, i) => [undefined, adapter, `${path}.${i}`]);
  } else if (isObject(registry)) {
    entries = Object.entries(registry).map(([key, adapter]) => [key, adapter, `${path}.${key}`]);
  } else {
    issues.push({ path, message: 'must be a Map, a record or an array of channel adapters' });
    return map;
  }
  for (const [key, adapter, at] of entries) {
    if (!isObject(adapter) || typeof adapter['send'] !== 'function' || typeof adapter['id'] !== 'string') {
      issues.push({
        path: at,
        message: 'must be a channel adapter (an object with an id and a send function)',
      });
      continue;
    }
    const capabilities = adapter['capabilities'];
    const limit = isObject(capabilities) ? capabilities['textChunkLimit'] : undefined;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 2) {
      issues.push({
        path: `${at}.capabilities.textChunkLimit`,
        message: 'must be an integer of at least 2 (declare capabilities with defineChannel)',
      });
      continue;
    }
    const id = adapter['id'];
    if (key !== undefined && key !== id) {
      issues.push({ path: at, message: `is registered as "${key}" but the adapter's id is "${id}"` });
      continue;
    }
    if (map.has(id)) {
      issues.push({ path: at, message: `a second adapter for channel "${id}"` });
      continue;
    }
    map.set(id, adapter as unknown as ChannelAdapter);
  }
  return map;
}
