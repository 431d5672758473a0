import type { PairingRequest, PairingStore } from './types.js';

/**
 * A pairing store in memory (lost on restart). Good for tests and single-process bots that
 * re-pair after a restart; use a persistent store otherwise.
 */
export function createMemoryPairingStore(): PairingStore {
  const pending = new Map<string, readonly PairingRequest[]>();
  const approved = new Map<string, string[]>();
  let owner: string | undefined;
  // A NUL cannot appear in a channel id, so the composite key is unambiguous.
  const key = (channel: string, accountId: string) => `${channel}\u0000${accountId}`;
  return {
    async getPending(channel) {
      return pending.get(channel) ?? [];
    },
    async putPending(channel, requests) {
      pending.set(channel, Object.freeze(requests.map((r) => Object.freeze({ ...r }))));
    },
    async listApproved(channel, accountId) {
      return [...(approved.get(key(channel, accountId)) ?? [])];
    },
    async addApproved(channel, accountId, senderId) {
      const k = key(channel, accountId);
      const list = approved.get(k) ?? [];
      if (!list.includes(senderId)) list.push(senderId);
      approved.set(k, list);
    },
    async getOwner() {
      return owner;
    },
    async setOwner(ownerId) {
      owner = ownerId;
    },
  };
}
