import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreError } from './store-error.js';
import type { CheckContext } from './validate.js';

// Low-level file helpers of the file stores. The rules they implement:
// - a document is replaced by writing a temp file next to it and renaming it over the old one, so
//   a crash leaves either the old or the new document, never a mix;
// - an append-only log gets whole lines; a line torn by a crash is skipped on read, and the next
//   append starts on a fresh line so the torn fragment never swallows a good entry;
// - writes to one file are serialised by a per-key lock that is dropped once idle (no per-key
//   state survives, whatever the number of keys).

/** Options shared by the file helpers. */
export interface FileIoOptions {
  /** `fsync` file contents before a rename / after an append (survives power loss, slower). */
  readonly fsync: boolean;
}

let tempCounter = 0;

/** The file name for a key: its SHA-256 in hex (fixed length, safe on every filesystem, case-free). */
export function fileNameOf(key: string, extension: string): string {
  return `${createHash('sha256').update(key).digest('hex')}${extension}`;
}

const isErrno = (error: unknown, code: string): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;

/** Run `fn`; when it fails because `dir` is missing, create `dir` and run it once more. */
async function withDir<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) throw error;
    await mkdir(dir, { recursive: true });
    return fn();
  }
}

/** Replace `dir/name` with `data` atomically (temp file + rename). */
export async function writeFileAtomic(
  dir: string,
  name: string,
  data: string,
  options: FileIoOptions,
): Promise<void> {
  const path = join(dir, name);
  const temp = join(dir, `${name}.${process.pid}.${++tempCounter}.tmp`);
  await withDir(dir, async () => {
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(data, 'utf8');
      if (options.fsync) await handle.sync();
    } finally {
      await handle.close();
    }
  });
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** The text of `dir/name`, or `undefined` when it does not exist. */
export async function readTextFile(dir: string, name: string): Promise<string | undefined> {
  try {
    return await readFile(join(dir, name), 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
}

/** Delete `dir/name`. Resolves `true` when it existed. */
export async function removeFile(dir: string, name: string): Promise<boolean> {
  try {
    await unlink(join(dir, name));
    return true;
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return false;
    throw error;
  }
}

/** Names of the files in `dir` ending in `extension` (temp files never match). Missing dir: none. */
export async function listFileNames(dir: string, extension: string): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names.filter((name) => name.endsWith(extension) && !name.endsWith('.tmp'));
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return [];
    throw error;
  }
}

/**
 * Append `text` (whole lines, each ending in `\n`) to `dir/name`. When the file does not end in a
 * newline — the last append was torn by a crash — a newline is written first, so the fragment
 * stays a separate (skipped) line and `text` is intact.
 */
export async function appendLines(
  dir: string,
  name: string,
  text: string,
  options: FileIoOptions,
): Promise<void> {
  await withDir(dir, async () => {
    const handle = await open(join(dir, name), 'a+', 0o600);
    try {
      const { size } = await handle.stat();
      let data = text;
      if (size > 0) {
        const last = Buffer.alloc(1);
        await handle.read(last, 0, 1, size - 1);
        if (last[0] !== 0x0a) data = `\n${text}`;
      }
      await handle.write(data);
      if (options.fsync) await handle.sync();
    } finally {
      await handle.close();
    }
  });
}

/**
 * The last complete lines of `dir/name`, reading backwards in blocks until `enough(lines)` says
 * it has enough (or the file start is reached). Lines are returned in file order, empty lines
 * dropped. Missing file: none.
 */
export async function readLastLines(
  dir: string,
  name: string,
  enough: (lines: readonly string[]) => boolean,
): Promise<string[]> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(join(dir, name), 'r');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return [];
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const blocks: Buffer[] = [];
    let position = size;
    let block = 64 * 1024;
    for (;;) {
      const length = Math.min(block, position);
      position -= length;
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, position);
      blocks.unshift(buffer);
      // Decode only whole bytes: the first line may start mid-character when position > 0,
      // but that line is dropped below, so it is never parsed.
      const lines = Buffer.concat(blocks).toString('utf8').split('\n');
      if (position > 0) lines.shift();
      const complete = lines.filter((line) => line.length > 0);
      if (position === 0 || enough(complete)) return complete;
      block *= 2;
    }
  } finally {
    await handle.close();
  }
}

/**
 * A lock per key: `run(key, fn)` runs `fn` after every earlier `fn` for the same key settled.
 * A key's entry is removed as soon as its queue is empty.
 */
export function createKeyedLock(): <T>(key: string, fn: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    const result = previous.then(fn, fn);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  };
}

/** Turn a file-system failure into a {@link StoreError} (`io`); store errors pass through. */
export function asStoreError(error: unknown, ctx: CheckContext, key?: string): StoreError {
  if (StoreError.isInstance(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new StoreError(`storage failed: ${message}`, {
    code: 'io',
    store: ctx.store,
    operation: ctx.operation,
    cause: error,
    ...(key === undefined ? {} : { key }),
  });
}

/** A `corrupt` {@link StoreError} for a record that cannot be read back. */
export function corrupt(ctx: CheckContext, file: string, detail: string, key?: string): StoreError {
  return new StoreError(`${file} is damaged (${detail}); fix or delete the file.`, {
    code: 'corrupt',
    store: ctx.store,
    operation: ctx.operation,
    ...(key === undefined ? {} : { key }),
  });
}
