export type { IdentityHooks } from './types.js';
