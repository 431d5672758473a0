export * from './adapter/index.js';
export * from './capabilities/index.js';
export * from './envelope/index.js';
export * from './errors/index.js';
export * from './identity/index.js';
export * from './outbound/index.js';
