/** The pairing code alphabet: 32 symbols, without the look-alikes `0 O 1 I`. */
export const PAIRING_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** Pairing code length (40 bits of entropy). */
export const PAIRING_CODE_LENGTH = 8;

/** A source of cryptographically strong random bytes (`crypto.getRandomValues` by default). */
export type RandomSource = (bytes: Uint8Array) => void;

/** The default random source: the Web Crypto API, available on Node ≥ 20. */
export const cryptoRandom: RandomSource = (bytes) => {
  globalThis.crypto.getRandomValues(bytes);
};

/**
 * A fresh pairing code. 256 is a multiple of 32, so taking each byte modulo 32 is unbiased.
 */
export function generatePairingCode(random: RandomSource = cryptoRandom): string {
  const bytes = new Uint8Array(PAIRING_CODE_LENGTH);
  random(bytes);
  let code = '';
  for (const b of bytes) code += PAIRING_CODE_ALPHABET[b & 31];
  return code;
}

/** The canonical form of a code typed by an operator: trimmed, uppercase. */
export function normalizePairingCode(code: string): string {
  return code.trim().toUpperCase();
}
