/**
 * The language-model provider specification: one model interface, stream parts, errors, the tool loop, retries and failover.
 *
 * @module @claw/provider-kit
 */
export * from '@claw/provider-kit';
