/**
 * Test helpers for the core: a test gateway, a manual clock and the store conformance suite.
 *
 * @module @claw/core/testing
 */
export * from '@claw/core/testing';
