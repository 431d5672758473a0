export {
  ConversationBindingError,
  type ConversationBindingErrorCode,
} from './conversation-binding-error.js';
export {
  type BindInput,
  bindingExpiry,
  type ConversationBindings,
  type ConversationBindingsOptions,
  createConversationBindings,
  defaultBindingIdleTtlMs,
  defaultBindingMaxAgeMs,
  defaultBindingTouchIntervalMs,
  type UnbindSelector,
} from './conversation-bindings.js';
export { bindingIdOf, resolveConversationId, stripConversationPrefix } from './conversation-id.js';
