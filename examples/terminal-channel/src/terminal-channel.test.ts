import { PassThrough, Writable } from 'node:stream';
import { ChannelSendError, type InboundMessage, replyTargetOf } from '@claw/channel-kit';
import { describe, expect, it } from 'vitest';
import { createTerminalChannel } from './terminal-channel.js';

function recorder() {
  const writes: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      writes.push(String(chunk));
      callback();
    },
  });
  return { stream, writes };
}

async function waitFor(predicate: () => boolean, what: string) {
  for (let i = 0; i < 500 && !predicate(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!predicate()) throw new Error(`timed out waiting for ${what}`);
}

const ctx = () => ({ idempotencyKey: 'k', signal: new AbortController().signal });

describe('the terminal channel', () => {
  it('turns every non-blank line into a direct message from the local user, in order', async () => {
    const input = new PassThrough();
    const terminal = createTerminalChannel({
      input,
      output: recorder().stream,
      userId: 'me',
      userName: 'Me',
      now: () => 42,
    });
    const received: InboundMessage[] = [];
    await terminal.start!({ signal: new AbortController().signal, receive: async (m) => received.push(m) });
    input.write('hello\r\n\n   \nsecond line\n');
    await waitFor(() => received.length === 2, 'two messages');
    await terminal.stop!();
    expect(received).toEqual([
      {
        channel: 'terminal',
        accountId: 'default',
        messageId: 'in-1',
        peer: { kind: 'direct', id: 'me' },
        sender: { id: 'me', name: 'Me' },
        text: 'hello',
        timestamp: 42,
      },
      expect.objectContaining({ messageId: 'in-2', text: 'second line' }),
    ]);
  });

  it('hands the next line over only after the core took the previous one', async () => {
    const input = new PassThrough();
    const terminal = createTerminalChannel({ input, output: recorder().stream });
    const events: string[] = [];
    let release: () => void = () => {};
    await terminal.start!({
      signal: new AbortController().signal,
      receive: async (m) => {
        events.push(`start ${m.text}`);
        if (m.text === 'first') await new Promise<void>((resolve) => (release = resolve));
        events.push(`end ${m.text}`);
      },
    });
    input.write('first\nsecond\n');
    await waitFor(() => events.length === 1, 'the first message');
    release();
    await waitFor(() => events.length === 4, 'both messages');
    await terminal.stop!();
    expect(events).toEqual(['start first', 'end first', 'start second', 'end second']);
  });

  it('writes each reply to the output in the given format', async () => {
    const output = recorder();
    const terminal = createTerminalChannel({
      input: new PassThrough(),
      output: output.stream,
      format: (t) => `bot> ${t}\n`,
    });
    const target = {
      channel: 'terminal',
      accountId: 'default',
      peer: { kind: 'direct' as const, id: 'local' },
    };
    expect(await terminal.send(target, { text: 'one' }, ctx())).toEqual({ messageId: 'out-1' });
    await terminal.send(target, { text: 'two\nlines' }, ctx());
    expect(output.writes).toEqual(['bot> one\n', 'bot> two\nlines\n']);
  });

  it('has one conversation: a reply anywhere else is not found', async () => {
    const terminal = createTerminalChannel({ input: new PassThrough(), output: recorder().stream });
    const target = {
      channel: 'terminal',
      accountId: 'default',
      peer: { kind: 'direct' as const, id: 'someone' },
    };
    await expect(terminal.send(target, { text: 'x' }, ctx())).rejects.toMatchObject({ reason: 'not_found' });
  });

  it('reports a failing output stream as a network failure', async () => {
    const output = new Writable({
      write(_chunk, _encoding, callback) {
        callback(new Error('EPIPE'));
      },
    });
    output.on('error', () => {});
    const terminal = createTerminalChannel({ input: new PassThrough(), output });
    const target = {
      channel: 'terminal',
      accountId: 'default',
      peer: { kind: 'direct' as const, id: 'local' },
    };
    const error = await terminal.send(target, { text: 'x' }, ctx()).catch((e: unknown) => e);
    expect(ChannelSendError.isInstance(error) && [error.reason, error.message]).toEqual([
      'network',
      'Writing to the terminal failed: EPIPE',
    ]);
  });

  it('stops reading on stop() and when the gateway signal aborts', async () => {
    const input = new PassThrough();
    const output = recorder();
    const terminal = createTerminalChannel({ input, output: output.stream });
    const received: string[] = [];
    const gateway = new AbortController();
    await terminal.start!({
      signal: gateway.signal,
      receive: async (m) => {
        received.push(m.text);
        await terminal.send(replyTargetOf(m), { text: `echo ${m.text}` }, ctx());
      },
    });
    input.write('ping\n');
    await waitFor(() => output.writes.length === 1, 'the echo');
    gateway.abort();
    await terminal.stop!();
    input.write('late\n');
    await new Promise((r) => setImmediate(r));
    expect(received).toEqual(['ping']);
  });
});
