export { type BotApiConfig, callBotApi, classifyTelegramError } from './bot-api.js';
export { createTelegramChannel, type TelegramChannelOptions } from './telegram-channel.js';
export {
  type BotIdentity,
  mapUpdate,
  messageKey,
  parseMessageKey,
  parsePeerId,
  topicPeerId,
} from './updates.js';
