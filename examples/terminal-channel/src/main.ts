// A terminal echo bot: type a line, get it back.  pnpm --filter @claw/example-terminal-channel start
// In a real host, hand the adapter to createClaw() instead of answering here.
import { replyTargetOf } from '@claw/channel-kit';
import { createTerminalChannel } from './terminal-channel.js';

const terminal = createTerminalChannel({ format: (text) => `claw> ${text}\n` });
const gateway = new AbortController();
let part = 0;

await terminal.start!({
  signal: gateway.signal,
  async receive(message) {
    await terminal.send(
      replyTargetOf(message),
      { text: `echo: ${message.text}` },
      {
        idempotencyKey: `echo:${part++}`,
        signal: gateway.signal,
      },
    );
  },
});
process.stdin.once('end', () => void terminal.stop!());
