export { type GeneratedToolCall, type GenerateOptions, type GenerateResult, generate } from './generate.js';
