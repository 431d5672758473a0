export { type ChannelAdapterDefinition, type DefinedChannel, defineChannel } from './define-channel.js';
