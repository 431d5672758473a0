/** A pending pairing request: an unknown sender waiting for an operator to approve their code. */
export interface PairingRequest {
  /** The sender's id on the channel. */
  readonly senderId: string;
  /** The channel account the sender wrote to. */
  readonly accountId: string;
  /** The 8-character code (uppercase). */
  readonly code: string;
  /** When the request was created (ms since the epoch). Expiry counts from here. */
  readonly createdAt: number;
  /** When the sender last wrote (ms since the epoch). */
  readonly lastSeenAt: number;
  /** Extra data shown to the operator (username, display name …). */
  readonly meta?: Readonly<Record<string, string>>;
}

/**
 * Where pairing state lives. Small on purpose: pending requests per channel, approved senders
 * per channel account, and (optionally) the bootstrapped owner. Every method may reject; the
 * pairing functions never turn a failed read into "not approved" silently.
 */
export interface PairingStore {
  /** The pending requests of a channel (all accounts). */
  getPending(channel: string): Promise<readonly PairingRequest[]>;
  /** Replace the pending requests of a channel. */
  putPending(channel: string, requests: readonly PairingRequest[]): Promise<void>;
  /** Sender ids approved for DMs on a channel account. */
  listApproved(channel: string, accountId: string): Promise<readonly string[]>;
  /** Approve a sender for DMs on a channel account (idempotent). */
  addApproved(channel: string, accountId: string, senderId: string): Promise<void>;
  /** The bootstrapped owner (`<channel>:<senderId>`), if any. Needed only for `bootstrapOwner`. */
  getOwner?(): Promise<string | undefined>;
  /** Record the bootstrapped owner. Needed only for `bootstrapOwner`. */
  setOwner?(ownerId: string): Promise<void>;
}
