import type { Sender } from '@claw/channel-kit';
import { ConfigError } from '../errors/index.js';
import { cryptoRandom, generatePairingCode, normalizePairingCode, type RandomSource } from './code.js';
import { PairingError } from './errors.js';
import type { PairingRequest, PairingStore } from './types.js';

/** Pending requests expire this long after they were created (1 hour). */
export const PAIRING_TTL_MS = 60 * 60 * 1000;
/** At most this many pending requests per channel account. */
export const PAIRING_MAX_PENDING = 3;
// Attempts to find a code not already pending before giving up (OpenClaw's bound).
const MAX_CODE_ATTEMPTS = 500;

/** Options of {@link createPairing}. */
export interface PairingOptions {
  /** The clock, in ms since the epoch. Default `Date.now`. */
  readonly now?: () => number;
  /** Random bytes for codes. Default `crypto.getRandomValues`. Never use `Math.random`. */
  readonly random?: RandomSource;
  /** Lifetime of a pending request, from its creation. Default {@link PAIRING_TTL_MS}. */
  readonly ttlMs?: number;
  /** Pending requests allowed per channel account. Default {@link PAIRING_MAX_PENDING}. */
  readonly maxPending?: number;
  /**
   * Make the first approved sender the owner (`<channel>:<senderId>`, via `store.setOwner`) when
   * no owner is configured. Opt-in: on a fresh install, whoever is approved first gets control.
   */
  readonly bootstrapOwner?: boolean;
  /** Owners from config; when non-empty, no owner is bootstrapped. */
  readonly configuredOwners?: readonly string[];
}

/** The outcome of {@link Pairing.challenge}. */
export type PairingChallenge =
  | {
      /** `new`: a request was created — send the code. `existing`: the sender already has one — send nothing. */
      readonly status: 'new' | 'existing';
      /** True only for a new request: send the pairing reply only then (about once per hour per sender). */
      readonly isNew: boolean;
      /** The sender's code. */
      readonly code: string;
      /** When the request expires (ms since the epoch). */
      readonly expiresAt: number;
    }
  | {
      /** Too many pending requests on this channel account: the sender is ignored until one expires. */
      readonly status: 'limit_reached';
      /** Always false. */
      readonly isNew: false;
    };

/** A successful approval. */
export interface PairingApproval {
  /** Channel id. */
  readonly channel: string;
  /** The account the sender is now approved on. */
  readonly accountId: string;
  /** The approved sender. */
  readonly senderId: string;
  /** True when this approval also made the sender the owner (`bootstrapOwner`). */
  readonly becameOwner: boolean;
}

/** What `decideAccess` needs from the pairing store, read safely. */
export type PairingFacts =
  | { readonly pairingAllowFrom: readonly string[] }
  | { readonly pairingStoreUnavailable: true };

/** DM pairing: challenge unknown senders with a code, approve codes, read approvals. */
export interface Pairing {
  /** Issue (or find) the pending request of an unknown DM sender. */
  challenge(
    channel: string,
    accountId: string,
    sender: string | Sender,
    meta?: Readonly<Record<string, string>>,
  ): Promise<PairingChallenge>;
  /**
   * Approve a code (trimmed, case-insensitive). With `accountId`, the request must belong to that
   * account. Adds the sender to that account's DM approvals — DM access only, never groups.
   * Returns `null` for an unknown or expired code.
   */
  approve(channel: string, code: string, accountId?: string): Promise<PairingApproval | null>;
  /** Whether a sender is approved for DMs on a channel account (exact id). */
  isApproved(channel: string, accountId: string, senderId: string): Promise<boolean>;
  /** The approved sender ids of a channel account. */
  listApproved(channel: string, accountId: string): Promise<readonly string[]>;
  /** The unexpired pending requests of a channel (of one account, when given), oldest first. */
  listPending(channel: string, accountId?: string): Promise<readonly PairingRequest[]>;
  /**
   * The approvals as `decideAccess` facts: `{ pairingAllowFrom }`, or
   * `{ pairingStoreUnavailable: true }` when the store cannot be read (the sender is then
   * blocked, never challenged).
   */
  readFacts(channel: string, accountId: string): Promise<PairingFacts>;
}

/**
 * DM pairing over a {@link PairingStore} (§2.5): 8-character codes from a 32-symbol alphabet
 * without `0 O 1 I`, from a cryptographic source; requests expire 1 hour after creation
 * (repeat contact does not extend them); at most 3 pending per channel account; the same sender
 * keeps the same code and gets no second challenge. Operations on one channel are serialised so
 * concurrent challenges cannot exceed the cap.
 *
 * @throws {ConfigError} for invalid options (or `bootstrapOwner` with a store without owner methods).
 */
export function createPairing(store: PairingStore, options: PairingOptions = {}): Pairing {
  checkStore(store, options);
  const now = options.now ?? Date.now;
  const random = options.random ?? cryptoRandom;
  const ttl = options.ttlMs ?? PAIRING_TTL_MS;
  const maxPending = options.maxPending ?? PAIRING_MAX_PENDING;
  const configuredOwners = (options.configuredOwners ?? []).filter(
    (o) => o.trim().length > 0 && o.trim() !== '*',
  );

  const locks = new Map<string, Promise<unknown>>();
  const withLock = <T>(channel: string, fn: () => Promise<T>): Promise<T> => {
    const previous = locks.get(channel) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    locks.set(channel, tail);
    void tail.then(() => {
      if (locks.get(channel) === tail) locks.delete(channel);
    });
    return run;
  };

  const isLive = (r: PairingRequest, t: number) => Number.isFinite(r.createdAt) && r.createdAt + ttl > t;

  const read = async (channel: string): Promise<readonly PairingRequest[]> => {
    try {
      const list = await store.getPending(channel);
      return Array.isArray(list) ? list : [];
    } catch (cause) {
      throw new PairingError('store_failed', `Could not read the pending pairing requests of "${channel}".`, {
        cause,
      });
    }
  };
  const write = async (channel: string, requests: readonly PairingRequest[]): Promise<void> => {
    try {
      await store.putPending(channel, requests);
    } catch (cause) {
      throw new PairingError('store_failed', `Could not save the pending pairing requests of "${channel}".`, {
        cause,
      });
    }
  };

  const listApproved = async (channel: string, accountId: string): Promise<readonly string[]> => {
    requireId('channel', channel);
    requireId('accountId', accountId);
    try {
      const list = await store.listApproved(channel, accountId);
      return Array.isArray(list) ? list.filter((e) => typeof e === 'string' && e.trim() !== '*') : [];
    } catch (cause) {
      throw new PairingError(
        'store_failed',
        `Could not read the pairing approvals of "${channel}/${accountId}".`,
        {
          cause,
        },
      );
    }
  };

  return {
    async challenge(channel, accountId, sender, meta) {
      requireId('channel', channel);
      requireId('accountId', accountId);
      const senderId = typeof sender === 'string' ? sender : sender?.id;
      requireId('sender id', senderId);
      const info: Record<string, string> = { ...meta };
      if (typeof sender === 'object') {
        if (sender.username !== undefined) info['username'] ??= sender.username;
        if (sender.name !== undefined) info['name'] ??= sender.name;
        if (sender.e164 !== undefined) info['e164'] ??= sender.e164;
      }
      return withLock(channel, async (): Promise<PairingChallenge> => {
        const t = now();
        const stored = await read(channel);
        const live = stored.filter((r) => isLive(r, t));
        const existing = live.find((r) => r.senderId === senderId && r.accountId === accountId);
        if (existing !== undefined) {
          const refreshed = live.map((r) => (r === existing ? { ...r, lastSeenAt: t } : r));
          await write(channel, refreshed);
          return {
            status: 'existing',
            isNew: false,
            code: existing.code,
            expiresAt: existing.createdAt + ttl,
          };
        }
        const forAccount = live.filter((r) => r.accountId === accountId);
        if (forAccount.length >= maxPending) {
          if (live.length !== stored.length) await write(channel, live);
          return { status: 'limit_reached', isNew: false };
        }
        const taken = new Set(live.map((r) => r.code));
        let code: string | undefined;
        for (let i = 0; i < MAX_CODE_ATTEMPTS && code === undefined; i++) {
          const candidate = generatePairingCode(random);
          if (!taken.has(candidate)) code = candidate;
        }
        if (code === undefined) {
          throw new PairingError(
            'code_space_exhausted',
            `Could not find an unused pairing code after ${MAX_CODE_ATTEMPTS} attempts; check the random source.`,
          );
        }
        const request: PairingRequest =
          Object.keys(info).length > 0
            ? { senderId: senderId!, accountId, code, createdAt: t, lastSeenAt: t, meta: info }
            : { senderId: senderId!, accountId, code, createdAt: t, lastSeenAt: t };
        await write(channel, capPerAccount([...live, request], maxPending));
        return { status: 'new', isNew: true, code, expiresAt: t + ttl };
      });
    },

    async approve(channel, code, accountId) {
      requireId('channel', channel);
      if (typeof code !== 'string') throw invalid('code must be a string');
      if (accountId !== undefined) requireId('accountId', accountId);
      const wanted = normalizePairingCode(code);
      return withLock(channel, async () => {
        if (wanted.length === 0) return null;
        const t = now();
        const stored = await read(channel);
        const live = stored.filter((r) => isLive(r, t));
        const request = live.find((r) => r.code.toUpperCase() === wanted);
        if (request === undefined || (accountId !== undefined && request.accountId !== accountId)) {
          if (live.length !== stored.length) await write(channel, live);
          return null;
        }
        try {
          await store.addApproved(channel, request.accountId, request.senderId);
        } catch (cause) {
          throw new PairingError('store_failed', `Could not save the approval of "${request.senderId}".`, {
            cause,
          });
        }
        await write(
          channel,
          live.filter((r) => r !== request),
        );
        let becameOwner = false;
        if (options.bootstrapOwner === true && configuredOwners.length === 0) {
          try {
            if ((await store.getOwner!()) === undefined) {
              await store.setOwner!(`${channel}:${request.senderId}`);
              becameOwner = true;
            }
          } catch (cause) {
            throw new PairingError('store_failed', 'Could not read or save the bootstrapped owner.', {
              cause,
            });
          }
        }
        return { channel, accountId: request.accountId, senderId: request.senderId, becameOwner };
      });
    },

    async isApproved(channel, accountId, senderId) {
      requireId('sender id', senderId);
      return (await listApproved(channel, accountId)).includes(senderId);
    },

    listApproved,

    async listPending(channel, accountId) {
      requireId('channel', channel);
      const t = now();
      const live = (await read(channel)).filter((r) => isLive(r, t));
      return accountId === undefined ? live : live.filter((r) => r.accountId === accountId);
    },

    async readFacts(channel, accountId) {
      try {
        return { pairingAllowFrom: await listApproved(channel, accountId) };
      } catch (error) {
        if (PairingError.isInstance(error) && error.code === 'store_failed')
          return { pairingStoreUnavailable: true };
        throw error;
      }
    },
  };
}

/** Keep at most `max` requests per account, dropping the least recently seen. */
function capPerAccount(requests: PairingRequest[], max: number): PairingRequest[] {
  const byAccount = new Map<string, PairingRequest[]>();
  for (const r of requests) byAccount.set(r.accountId, [...(byAccount.get(r.accountId) ?? []), r]);
  const drop = new Set<PairingRequest>();
  for (const list of byAccount.values()) {
    if (list.length <= max) continue;
    const sorted = [...list].sort((a, b) => a.lastSeenAt - b.lastSeenAt);
    for (const r of sorted.slice(0, list.length - max)) drop.add(r);
  }
  return requests.filter((r) => !drop.has(r));
}

function requireId(what: string, value: unknown): void {
  if (typeof value !== 'string' || value.trim().length === 0)
    throw invalid(`${what} must be a non-empty string`);
}

function invalid(message: string): PairingError {
  return new PairingError('invalid_argument', `Invalid pairing call: ${message}.`);
}

function checkStore(store: PairingStore, options: PairingOptions): void {
  const issues: { path: string; message: string }[] = [];
  if (typeof store !== 'object' || store === null) {
    issues.push({ path: 'store', message: 'must be a PairingStore object' });
  } else {
    for (const m of ['getPending', 'putPending', 'listApproved', 'addApproved'] as const) {
      if (typeof store[m] !== 'function') issues.push({ path: `store.${m}`, message: 'must be a function' });
    }
    if (
      options.bootstrapOwner === true &&
      (typeof store.getOwner !== 'function' || typeof store.setOwner !== 'function')
    ) {
      issues.push({ path: 'store', message: 'bootstrapOwner needs a store with getOwner() and setOwner()' });
    }
  }
  const positive = (key: 'ttlMs' | 'maxPending') => {
    const v = options[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 1))
      issues.push({ path: key, message: 'must be a whole number ≥ 1' });
  };
  positive('ttlMs');
  positive('maxPending');
  if (options.now !== undefined && typeof options.now !== 'function') {
    issues.push({ path: 'now', message: 'must be a function returning ms since the epoch' });
  }
  if (options.random !== undefined && typeof options.random !== 'function') {
    issues.push({ path: 'random', message: 'must be a function filling a Uint8Array with random bytes' });
  }
  if (issues.length > 0) throw new ConfigError(issues, { subject: 'pairing options' });
}
