export { type ChunkTextOptions, chunkText } from './chunk-text.js';
