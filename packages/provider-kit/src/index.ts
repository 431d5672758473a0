// @claw/provider-kit: the language-model provider specification and the helpers built on it.
// Vendor providers live behind their own subpaths (`/anthropic`, `/openai-compatible`); test
// helpers behind `/testing`.
export * from './errors/index.js';
export * from './fallback/index.js';
export * from './generate/index.js';
export * from './http/index.js';
export * from './registry/index.js';
export * from './retry/index.js';
export * from './spec/index.js';
export * from './stream/index.js';
export * from './tool-loop/index.js';
export * from './tools/index.js';
