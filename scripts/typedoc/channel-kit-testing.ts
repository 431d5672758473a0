/**
 * Test helpers for channel adapters: an in-memory test channel and the conformance kit.
 *
 * @module @claw/channel-kit/testing
 */
export * from '@claw/channel-kit/testing';
