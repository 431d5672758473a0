export { resolveCapabilities } from './resolve.js';
export { capabilitiesInputSchema } from './schema.js';
export {
  type ChannelCapabilities,
  type ChannelCapabilitiesInput,
  type ChannelRateLimits,
  type ChunkMode,
  chunkModeOf,
  defaultCapabilities,
} from './types.js';
