import { PassThrough, Writable } from 'node:stream';
import { channelConformance } from '@claw/channel-kit/testing';
import { createTerminalChannel } from './terminal-channel.js';

// The "platform" is a pair of streams: lines typed in, writes out.
const input = new PassThrough();
let writes: string[] = [];
const output = new Writable({
  write(chunk, _encoding, callback) {
    writes.push(String(chunk));
    callback();
  },
});

channelConformance(() => createTerminalChannel({ input, output, userId: 'local' }), {
  name: 'terminal',
  targets: { direct: { channel: 'terminal', accountId: 'default', peer: { kind: 'direct', id: 'local' } } },
  // A terminal has no message ids of its own; the adapter numbers its writes out-1, out-2 …
  received: () =>
    writes.map((text, i) => ({ peerId: 'local', text: text.replace(/\n$/, ''), messageId: `out-${i + 1}` })),
  reset: () => {
    writes = [];
  },
  deliverInbound: ({ from, text }) => {
    // The terminal never shows the bot its own output, so there is no echo to deliver.
    if (from === 'user') input.write(`${text}\n`);
  },
});
