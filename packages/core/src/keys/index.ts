export {
  buildAcpSessionKey,
  buildCronSessionKey,
  buildMainSessionKey,
  buildSessionKey,
  buildSubagentSessionKey,
  buildThreadSessionKey,
  formatSessionKey,
  normalizeSessionKeyInput,
  resolveThreadSessionKeys,
  type ThreadKeyOptions,
  type ThreadSessionKeysInput,
} from './build.js';
export {
  classifySessionKeyShape,
  deriveSessionChatType,
  getSubagentDepth,
  isAcpSessionKey,
  isCronRunSessionKey,
  isCronSessionKey,
  isSubagentSessionKey,
  parseAgentSessionKey,
  parseThreadSessionSuffix,
  resolveThreadParentSessionKey,
  type SessionKeyShape,
} from './classify.js';
export { InvalidSessionKeyError, SessionKeyInputError } from './errors.js';
export { escapeKeySegment, SESSION_KEY_MARKERS, unescapeKeySegment } from './escape.js';
export {
  type CompiledIdentityLinks,
  compileIdentityLinks,
  identityLinkIssues,
  resolveIdentityLink,
} from './identity-links.js';
export {
  isValidAgentId,
  normalizeAccountId,
  normalizeAgentId,
  normalizeChannelId,
  normalizeChatType,
  normalizeIdValue,
  normalizeMainKey,
} from './normalize.js';
export { parseSessionKey, tryParseSessionKey } from './parse.js';
export {
  type AcpSessionKeyParts,
  type CronSessionKeyParts,
  type DirectSessionKeyParts,
  DM_SCOPES,
  type DmScope,
  GROUP_SCOPES,
  type GroupScope,
  type GroupSessionKeyParts,
  type IdentityLinks,
  type MainSessionKeyParts,
  type SessionKeyInput,
  type SessionKeyKind,
  type SessionKeyParts,
  type SessionKeyPeer,
  type SubagentSessionKeyParts,
} from './types.js';
