/** Input of {@link formatPairingReply}. */
export interface PairingReplyInput {
  /** Channel id (`telegram`). */
  readonly channel: string;
  /** The code. */
  readonly code: string;
  /** How the sender is identified on the channel (id or phone number), shown so the operator can check it. */
  readonly senderId: string;
  /** The command the operator runs, if your host has one. Default: none shown. */
  readonly approveCommand?: string;
}

/**
 * The text of a pairing challenge (send it only when `challenge()` says `isNew`): what happened,
 * the sender's id, the code, and how the operator approves it.
 */
export function formatPairingReply(input: PairingReplyInput): string {
  const lines = [
    'This assistant does not know you yet.',
    `Your ${input.channel} id: ${input.senderId}`,
    `Pairing code: ${input.code}`,
    input.approveCommand === undefined
      ? 'Ask the owner to approve this code.'
      : `Ask the owner to approve it: ${input.approveCommand}`,
  ];
  return lines.join('\n');
}
