/**
 * The Claw SDK core: session keys, the router, access rules, queues, the reply dispatcher, background runs, stores and the composed gateway.
 *
 * @module @claw/core
 */
export * from '@claw/core';
