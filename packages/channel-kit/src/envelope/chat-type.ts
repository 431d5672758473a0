import type { ChatType } from './types.js';

// A Map, not an object literal: `constructor` or `toString` must not resolve to a prototype member.
const chatTypeAliases: ReadonlyMap<string, ChatType> = new Map([
  ['direct', 'direct'],
  ['dm', 'direct'],
  ['group', 'group'],
  ['supergroup', 'group'],
  ['channel', 'channel'],
]);

/**
 * The canonical conversation kind of a spelling (OpenClaw's `normalizeChatType`): trimmed and
 * lowercased; the legacy `dm` means `direct` and `supergroup` means `group`. Anything else
 * (including non-strings) gives `undefined`.
 */
export function normalizeChatType(value: unknown): ChatType | undefined {
  // Fast path: canonical kinds (nearly every call) need no trimming or case folding.
  if (value === 'direct' || value === 'group' || value === 'channel') return value;
  return typeof value === 'string' ? chatTypeAliases.get(value.trim().toLowerCase()) : undefined;
}
