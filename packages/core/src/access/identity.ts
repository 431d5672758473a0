import {
  createDefaultIdentity,
  createDiscordIdentity,
  createTelegramIdentity,
  defaultIdentity,
  discordIdentity,
  type IdentityHooks,
  telegramIdentity,
  whatsappIdentity,
} from '@claw/channel-kit';

const withNames = {
  default: createDefaultIdentity({ dangerouslyAllowNameMatching: true }),
  telegram: createTelegramIdentity({ dangerouslyAllowNameMatching: true }),
  discord: createDiscordIdentity({ dangerouslyAllowNameMatching: true }),
};

/**
 * The identity rules the access rules use for a channel when the caller passes none: the ready
 * Telegram, WhatsApp and Discord normalisers for those channel ids, exact ids for every other
 * channel. `dangerouslyAllowNameMatching` selects the variant that also matches names.
 */
export function identityForChannel(
  channel: string,
  options: { readonly dangerouslyAllowNameMatching?: boolean } = {},
): IdentityHooks {
  const names = options.dangerouslyAllowNameMatching === true;
  switch (channel) {
    case 'telegram':
      return names ? withNames.telegram : telegramIdentity;
    case 'whatsapp':
      return whatsappIdentity;
    case 'discord':
      return names ? withNames.discord : discordIdentity;
    default:
      return names ? withNames.default : defaultIdentity;
  }
}
