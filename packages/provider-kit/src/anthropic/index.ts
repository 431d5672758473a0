// @claw/provider-kit/anthropic: Claude models on the official SDK (`@anthropic-ai/sdk`, an
// optional peer dependency).
export { type AnthropicClientLike, type AnthropicOptions, anthropic } from './provider.js';
