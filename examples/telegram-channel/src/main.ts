// An echo bot on the Telegram adapter, without the rest of the SDK:
//   TELEGRAM_BOT_TOKEN=123:ABC pnpm --filter @claw/example-telegram-channel start
// In a real host, hand the adapter to createClaw() instead of answering here.
import { replyTargetOf } from '@claw/channel-kit';
import { createTelegramChannel } from './telegram-channel.js';

const token = process.env['TELEGRAM_BOT_TOKEN'];
if (!token) {
  console.error('Set TELEGRAM_BOT_TOKEN to the token from @BotFather.');
  process.exit(1);
}

const telegram = createTelegramChannel({ token });
const gateway = new AbortController();
let part = 0;

await telegram.start!({
  signal: gateway.signal,
  async receive(message) {
    if (message.sender.isSelf) return;
    // Answer exactly where the question was asked: same chat, same topic, quoting it.
    const target = replyTargetOf(message);
    await telegram.send(
      target,
      { text: `echo: ${message.text}`, replyToMessageId: message.messageId },
      { idempotencyKey: `echo:${part++}`, signal: gateway.signal },
    );
  },
});
console.log('Polling Telegram; press Ctrl+C to stop.');
process.once('SIGINT', () => {
  gateway.abort();
  void telegram.stop!().then(() => process.exit(0));
});
