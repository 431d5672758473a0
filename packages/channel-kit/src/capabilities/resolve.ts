import type { ChatType } from '../envelope/types.js';
import { type ChannelCapabilities, type ChannelCapabilitiesInput, defaultCapabilities } from './types.js';

/**
 * Complete declared capabilities with {@link defaultCapabilities} for every omitted flag and
 * freeze the result (including `chatTypes` and `rateLimits`). Does not validate: `defineChannel`
 * validates before it calls this.
 */
export function resolveCapabilities(input: ChannelCapabilitiesInput = {}): ChannelCapabilities {
  const merged: { -readonly [K in keyof ChannelCapabilities]: ChannelCapabilities[K] } = {
    ...defaultCapabilities,
  };
  for (const [key, value] of Object.entries(input) as [keyof ChannelCapabilities, unknown][]) {
    // Skip explicit `undefined` so `{ edit: undefined }` means "not declared", not "remove the default".
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  merged.chatTypes = Object.freeze([...merged.chatTypes]) as readonly ChatType[];
  if (merged.rateLimits !== undefined) merged.rateLimits = Object.freeze({ ...merged.rateLimits });
  return Object.freeze(merged);
}
