/**
 * Claude models on the official Anthropic SDK (an optional peer dependency).
 *
 * @module @claw/provider-kit/anthropic
 */
export * from '@claw/provider-kit/anthropic';
