export {
  cryptoRandom,
  generatePairingCode,
  normalizePairingCode,
  PAIRING_CODE_ALPHABET,
  PAIRING_CODE_LENGTH,
  type RandomSource,
} from './code.js';
export { PairingError, type PairingErrorCode } from './errors.js';
export { createMemoryPairingStore } from './memory-store.js';
export { formatPairingReply, type PairingReplyInput } from './message.js';
export {
  createPairing,
  PAIRING_MAX_PENDING,
  PAIRING_TTL_MS,
  type Pairing,
  type PairingApproval,
  type PairingChallenge,
  type PairingFacts,
  type PairingOptions,
} from './pairing.js';
export type { PairingRequest, PairingStore } from './types.js';
