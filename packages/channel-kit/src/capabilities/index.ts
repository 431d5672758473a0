export { type ChannelCapabilities, defaultCapabilities } from './types.js';
