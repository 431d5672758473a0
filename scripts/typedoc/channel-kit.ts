/**
 * The channel adapter specification: the message envelope, the adapter contract and its helpers.
 *
 * @module @claw/channel-kit
 */
export * from '@claw/channel-kit';
