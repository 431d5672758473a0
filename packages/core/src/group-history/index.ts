export { GroupHistoryError } from './errors.js';
export {
  CURRENT_MESSAGE_HEADER,
  createGroupHistory,
  formatGroupHistory,
  type GroupHistory,
  type GroupHistoryEntry,
  type GroupHistoryOptions,
  HISTORY_HEADER,
  historyEntryFromMessage,
} from './history.js';
export { groupHistoryKey } from './key.js';
