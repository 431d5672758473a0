export { conversationIdOf, defaultConversationId, parseConversationId } from './conversation-id.js';
