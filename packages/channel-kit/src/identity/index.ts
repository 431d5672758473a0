export { createDefaultIdentity, defaultIdentity } from './default.js';
export { createDiscordIdentity, discordIdentity, discordSlug } from './discord.js';
export type { IdentityOptions } from './options.js';
export { createTelegramIdentity, telegramIdentity } from './telegram.js';
export type { IdentityHooks } from './types.js';
export { MAX_E164_DIGITS, MIN_E164_DIGITS, normalizeE164, whatsappIdentity } from './whatsapp.js';
