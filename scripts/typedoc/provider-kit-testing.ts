/**
 * Test helpers for providers: a scripted mock model, the conformance kit and a replay server.
 *
 * @module @claw/provider-kit/testing
 */
export * from '@claw/provider-kit/testing';
