export { InvalidMessageError } from '@claw/channel-kit';
export * from './access/index.js';
export * from './errors/index.js';
export * from './keys/index.js';
export * from './routing/index.js';
