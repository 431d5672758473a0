export { createFilePairingStore, type FilePairingStoreOptions } from './file-pairing-store.js';
export { createFileStores, type FileStoresOptions, fileStoreLayout } from './file-stores.js';
export {
  createMemoryBindingStore,
  createMemoryDedupeStore,
  createMemoryOutboxStore,
  createMemoryRunStore,
  createMemorySessionStore,
  createMemoryStores,
  createMemoryTranscriptStore,
} from './memory-stores.js';
export { StoreError, type StoreErrorCode, type StoreErrorOptions } from './store-error.js';
export type {
  BindingFilter,
  BindingStore,
  ClawStores,
  ConversationBinding,
  DedupeStore,
  JsonValue,
  OutboxPart,
  OutboxRecord,
  OutboxStatus,
  OutboxStore,
  QueueMode,
  RunFilter,
  RunRecord,
  RunStatus,
  RunStore,
  SessionEntry,
  SessionPatch,
  SessionStore,
  TranscriptEntry,
  TranscriptStore,
} from './types.js';
