import { describe, expectTypeOf, it } from 'vitest';
import type { ChannelAdapter } from '../adapter/types.js';
import type { ChannelCapabilities } from '../capabilities/types.js';
import { defineChannel } from './define-channel.js';

describe('defineChannel types', () => {
  it('returns a ChannelAdapter with complete capabilities and keeps extra members', () => {
    const adapter = defineChannel({
      specificationVersion: 'v1',
      id: 'x',
      capabilities: { threads: true },
      send: async () => ({ messageId: '1' }),
      describe: () => 'extra',
    });
    expectTypeOf(adapter).toExtend<ChannelAdapter>();
    expectTypeOf(adapter.capabilities).toEqualTypeOf<ChannelCapabilities>();
    expectTypeOf(adapter.describe).returns.toExtend<string>();
  });

  it('rejects a wrong specification version and a send with the wrong result at compile time', () => {
    defineChannel({
      // @ts-expect-error specificationVersion must be 'v1'
      specificationVersion: 'v2',
      id: 'x',
      capabilities: {},
      send: async () => ({ messageId: '1' }),
    });
    defineChannel({
      specificationVersion: 'v1',
      id: 'x',
      capabilities: {},
      // @ts-expect-error send must resolve with { messageId }
      send: async () => ({ id: '1' }),
    });
  });
});
