export type { OutboundMedia, OutboundMessage } from './types.js';
