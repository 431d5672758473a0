import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import {
  type ChannelAdapter,
  ChannelSendError,
  type ChannelStartContext,
  defineChannel,
  type InboundMessage,
  type OutboundMessage,
  parseInbound,
  type ReplyTarget,
  type SendContext,
  type SendResult,
} from '@claw/channel-kit';

/** Options for {@link createTerminalChannel}. */
export interface TerminalChannelOptions {
  /** Where user lines come from. Default `process.stdin`. */
  readonly input?: Readable;
  /** Where replies go. Default `process.stdout`. */
  readonly output?: Writable;
  /** The id of the person at the terminal (the one direct conversation). Default `local`. */
  readonly userId?: string;
  /** Their display name. Default: the `USER` environment variable, else `you`. */
  readonly userName?: string;
  /** How a reply is written. Default: the text and a newline. */
  readonly format?: (text: string) => string;
  /** Clock for inbound timestamps. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * A channel adapter for a terminal (or any pair of streams): every non-blank input line is a
 * direct message from one local user, and every reply is written to the output. There is one
 * conversation, no groups, threads or edits, so it declares little more than the defaults —
 * which is also what makes it a good first adapter to read.
 */
export function createTerminalChannel(options: TerminalChannelOptions = {}): ChannelAdapter {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const userId = options.userId ?? 'local';
  const userName = options.userName ?? process.env['USER'] ?? 'you';
  const format = options.format ?? ((text: string) => `${text}\n`);
  const now = options.now ?? Date.now;
  let reader: { lines: Interface; done: Promise<void> } | undefined;
  let inbound = 0;
  let outbound = 0;

  const toMessage = (line: string): InboundMessage =>
    parseInbound({
      channel: 'terminal',
      accountId: 'default',
      messageId: `in-${++inbound}`,
      peer: { kind: 'direct', id: userId },
      sender: { id: userId, name: userName },
      text: line,
      timestamp: now(),
    });

  return defineChannel({
    specificationVersion: 'v1',
    id: 'terminal',
    capabilities: {
      chatTypes: ['direct'],
      supportsCurrentConversationBinding: true,
      // A terminal takes any length; this just keeps answers readable.
      textChunkLimit: 8000,
    },

    async send(target: ReplyTarget, message: OutboundMessage, ctx: SendContext): Promise<SendResult> {
      ctx.signal.throwIfAborted();
      if (target.channel !== 'terminal' || target.peer.id !== userId) {
        throw new ChannelSendError(
          `The terminal has one conversation ("${userId}"), not "${target.peer.id}"`,
          {
            reason: 'not_found',
          },
        );
      }
      await new Promise<void>((resolve, reject) => {
        output.write(format(message.text), (error) =>
          error
            ? reject(
                new ChannelSendError(`Writing to the terminal failed: ${error.message}`, {
                  reason: 'network',
                  cause: error,
                }),
              )
            : resolve(),
        );
      });
      return { messageId: `out-${++outbound}` };
    },

    async start(ctx: ChannelStartContext): Promise<void> {
      if (reader !== undefined) return;
      const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY, terminal: false });
      // One line at a time, in order: the next line waits until the core has taken this one.
      let chain = Promise.resolve();
      lines.on('line', (line) => {
        if (line.trim() === '' || ctx.signal.aborted) return;
        chain = chain.then(() =>
          ctx.receive(toMessage(line)).then(
            () => undefined,
            () => undefined,
          ),
        );
      });
      const done = new Promise<void>((resolve) => lines.once('close', resolve)).then(() => chain);
      ctx.signal.addEventListener('abort', () => lines.close(), { once: true });
      reader = { lines, done };
    },

    async stop(): Promise<void> {
      const current = reader;
      reader = undefined;
      if (current === undefined) return;
      current.lines.close();
      await current.done;
    },
  });
}
