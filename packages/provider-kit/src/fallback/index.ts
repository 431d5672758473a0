export { type FallbackEvent, type FallbackPolicy, withFallback } from './with-fallback.js';
