import { join, resolve } from 'node:path';
import type { PairingRequest, PairingStore } from '../pairing/index.js';
import { asStoreError, createKeyedLock, type FileIoOptions } from './file-io.js';
import { createRecordDir } from './record-dir.js';
import { type CheckContext, describe, invalidArgument, type Problem, requireKey } from './validate.js';

/** Options of {@link createFilePairingStore}. */
export interface FilePairingStoreOptions {
  /** Directory of the pairing files (created when missing). */
  readonly dir: string;
  /** Flush before rename (see `createFileStores`). Default `true`. */
  readonly fsync?: boolean;
}

interface PendingDoc {
  readonly channel: string;
  readonly requests: readonly PairingRequest[];
}

interface ApprovedDoc {
  readonly key: string;
  readonly channel: string;
  readonly accountId: string;
  readonly senders: readonly string[];
}

interface OwnerDoc {
  readonly key: 'owner';
  readonly owner: string;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function requestProblem(value: unknown, at: string): Problem {
  if (!isObject(value)) return `${at} must be an object, got ${describe(value)}`;
  for (const field of ['senderId', 'accountId', 'code']) {
    if (typeof value[field] !== 'string' || value[field] === '')
      return `${at}.${field} must be a non-empty string`;
  }
  for (const field of ['createdAt', 'lastSeenAt']) {
    const v = value[field];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      return `${at}.${field} must be a finite number >= 0`;
  }
  const meta = value['meta'];
  if (meta !== undefined && (!isObject(meta) || Object.values(meta).some((v) => typeof v !== 'string'))) {
    return `${at}.meta must be an object of strings`;
  }
  return undefined;
}

function pendingProblem(value: unknown): Problem {
  if (!isObject(value) || typeof value['channel'] !== 'string' || !Array.isArray(value['requests'])) {
    return 'expected { channel, requests: [...] }';
  }
  for (const [i, request] of value['requests'].entries()) {
    const problem = requestProblem(request, `requests[${i}]`);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function approvedProblem(value: unknown): Problem {
  return isObject(value) &&
    typeof value['key'] === 'string' &&
    typeof value['channel'] === 'string' &&
    typeof value['accountId'] === 'string' &&
    Array.isArray(value['senders']) &&
    value['senders'].every((s) => typeof s === 'string')
    ? undefined
    : 'expected { key, channel, accountId, senders: string[] }';
}

/**
 * The {@link PairingStore} as JSON files: one document of pending requests per channel, one list
 * of approved senders per channel account, and the owner — each replaced atomically. Part of
 * `createFileStores`; usable alone.
 */
export function createFilePairingStore(options: FilePairingStoreOptions): PairingStore {
  const create: CheckContext = { store: 'pairing', operation: 'create' };
  if (!isObject(options))
    throw invalidArgument(create, `options must be an object with a dir, got ${describe(options)}.`);
  requireKey(create, 'options.dir', options.dir);
  const root = resolve(options.dir);
  const io: FileIoOptions = { fsync: options.fsync ?? true };
  const pending = createRecordDir<PendingDoc>({
    dir: join(root, 'pending'),
    io,
    keyOf: (d) => d.channel,
    problem: pendingProblem,
  });
  const approved = createRecordDir<ApprovedDoc>({
    dir: join(root, 'approved'),
    io,
    keyOf: (d) => d.key,
    problem: approvedProblem,
  });
  const owner = createRecordDir<OwnerDoc>({
    dir: root,
    io,
    keyOf: (d) => d.key,
    problem: (v) =>
      isObject(v) && v['key'] === 'owner' && typeof v['owner'] === 'string'
        ? undefined
        : 'expected { key: "owner", owner }',
  });
  const lock = createKeyedLock();
  // A NUL cannot appear in a channel id, so the composite key is unambiguous.
  const approvedKey = (channel: string, accountId: string): string => `${channel}\u0000${accountId}`;

  const run = async <T>(
    operation: string,
    key: string | undefined,
    fn: (c: CheckContext) => Promise<T>,
  ): Promise<T> => {
    const c: CheckContext = { store: 'pairing', operation };
    try {
      return await fn(c);
    } catch (error) {
      throw asStoreError(error, c, key);
    }
  };

  return {
    getPending: (channel) =>
      run('getPending', channel, async (c) => {
        requireKey(c, 'channel', channel);
        return (await pending.read(c, channel))?.requests ?? [];
      }),
    putPending: (channel, requests) =>
      run('putPending', channel, async (c) => {
        requireKey(c, 'channel', channel);
        if (!Array.isArray(requests))
          throw invalidArgument(c, `requests must be an array, got ${describe(requests)}.`);
        requests.forEach((request, i) => {
          const problem = requestProblem(request, `requests[${i}]`);
          if (problem !== undefined) throw invalidArgument(c, `${problem}.`, channel);
        });
        await lock(`pending:${channel}`, () => pending.write(channel, { channel, requests }));
      }),
    listApproved: (channel, accountId) =>
      run('listApproved', channel, async (c) => {
        requireKey(c, 'channel', channel);
        requireKey(c, 'accountId', accountId);
        return [...((await approved.read(c, approvedKey(channel, accountId)))?.senders ?? [])];
      }),
    addApproved: (channel, accountId, senderId) =>
      run('addApproved', channel, async (c) => {
        requireKey(c, 'channel', channel);
        requireKey(c, 'accountId', accountId);
        requireKey(c, 'senderId', senderId);
        const key = approvedKey(channel, accountId);
        await lock(`approved:${key}`, async () => {
          const senders = (await approved.read(c, key))?.senders ?? [];
          if (!senders.includes(senderId))
            await approved.write(key, { key, channel, accountId, senders: [...senders, senderId] });
        });
      }),
    getOwner: () => run('getOwner', undefined, async (c) => (await owner.read(c, 'owner'))?.owner),
    setOwner: (ownerId) =>
      run('setOwner', undefined, async (c) => {
        requireKey(c, 'ownerId', ownerId);
        await lock('owner', () => owner.write('owner', { key: 'owner', owner: ownerId }));
      }),
  };
}
