const marker = Symbol.for('claw.error.PairingError');

/**
 * Why a pairing operation failed.
 * - `invalid_argument`: a channel, account, sender or code was missing or malformed.
 * - `code_space_exhausted`: no unused code could be found (practically impossible; a broken random source).
 * - `store_failed`: the pairing store rejected a read or a write.
 */
export type PairingErrorCode = 'invalid_argument' | 'code_space_exhausted' | 'store_failed';

/** Thrown by the pairing functions. */
export class PairingError extends Error {
  readonly [marker] = true;
  override readonly name = 'PairingError';
  /** What went wrong. */
  readonly code: PairingErrorCode;

  constructor(code: PairingErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /** True for a `PairingError`, even one created by another copy of this package. */
  static isInstance(error: unknown): error is PairingError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
