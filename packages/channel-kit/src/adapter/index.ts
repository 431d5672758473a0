export type { ChannelAdapter, ChannelStartContext, SendContext, SendResult } from './types.js';
