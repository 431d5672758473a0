import type { ReplyTarget } from '../../envelope/types.js';
import type { TestChannel } from '../test-channel.js';
import type { ChannelConformanceOptions, ConformanceTargets, PlatformMessage } from './types.js';

/**
 * Conformance options that observe a {@link TestChannel} as "the platform": what it recorded is
 * what the platform received, `failNext` simulates failures and `inbound` delivers messages.
 * Used by the kit's own tests, and handy as a template for wiring your own fake platform.
 *
 * The targets are the ones the test channel's message builders use: DM peer `u1`, group `g1`,
 * channel `c1`, thread `t1` in `c1`, forum topic `g1:topic:1`.
 */
export function testChannelConformanceOptions(channel: TestChannel): ChannelConformanceOptions {
  const target = (peer: ReplyTarget['peer'], threadId?: string): ReplyTarget => ({
    channel: channel.id,
    accountId: 'default',
    peer,
    ...(threadId === undefined ? {} : { threadId }),
  });
  const targets: ConformanceTargets = {
    direct: target({ kind: 'direct', id: 'u1' }),
    group: target({ kind: 'group', id: 'g1' }),
    channel: target({ kind: 'channel', id: 'c1' }),
    thread: target({ kind: 'channel', id: 'c1' }, 't1'),
    topic: target({ kind: 'group', id: 'g1:topic:1' }),
  };
  return {
    name: `test channel "${channel.id}"`,
    targets,
    received: () =>
      channel.sent.map((s): PlatformMessage => {
        const edited = channel.edits.filter((e) => e.messageId === s.messageId).at(-1);
        return {
          peerId: s.target.peer.id,
          text: (edited ?? s).message.text,
          messageId: s.messageId,
          ...(s.target.threadId === undefined ? {} : { threadId: s.target.threadId }),
          ...(s.message.replyToMessageId === undefined
            ? {}
            : { replyToMessageId: s.message.replyToMessageId }),
        };
      }),
    reset: () => channel.clear(),
    failNextSend: (failure) => channel.failNext(1, failure),
    failureReasons: ['rate_limited', 'network', 'auth', 'not_found', 'forbidden', 'too_long', 'invalid'],
    async deliverInbound({ from, text, mention, chatType }) {
      const options = { fromSelf: from === 'self', mention: mention === true };
      const message =
        chatType === 'direct'
          ? channel.dm(text, options)
          : channel.group(text, {
              ...options,
              kind: chatType,
              groupId: chatType === 'channel' ? 'c1' : 'g1',
            });
      await channel.inbound(message);
    },
  };
}
