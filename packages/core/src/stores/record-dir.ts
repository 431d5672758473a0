import { join } from 'node:path';
import {
  corrupt,
  type FileIoOptions,
  fileNameOf,
  listFileNames,
  readTextFile,
  removeFile,
  writeFileAtomic,
} from './file-io.js';
import type { CheckContext, Problem } from './validate.js';

/** A directory holding one JSON document per key (`<sha256(key)>.json`). */
export interface RecordDir<T> {
  /** The record for `key`, validated; `undefined` when there is none. */
  read(ctx: CheckContext, key: string): Promise<T | undefined>;
  /** Replace the record for `key` atomically. */
  write(key: string, value: T): Promise<void>;
  /** Delete the record for `key`. Resolves `true` when it existed. */
  remove(key: string): Promise<boolean>;
  /** Every record, validated (files removed meanwhile are skipped). */
  readAll(ctx: CheckContext): Promise<T[]>;
  /** The directory path. */
  readonly path: string;
}

/** Options of {@link createRecordDir}. */
export interface RecordDirOptions<T> {
  /** Directory of the records. */
  readonly dir: string;
  /** The key stored inside a record (checked on read, so a misplaced file is noticed). */
  readonly keyOf: (record: T) => string;
  /** Validates a parsed record. */
  readonly problem: (value: unknown) => Problem;
  /** File options. */
  readonly io: FileIoOptions;
}

const extension = '.json';
// Reading a whole directory opens files in small batches: enough parallelism for a disk, and
// far below any open-file limit.
const batchSize = 32;

/** Create a {@link RecordDir}. Callers serialise writes per key (see `createKeyedLock`). */
export function createRecordDir<T>(options: RecordDirOptions<T>): RecordDir<T> {
  const { dir, keyOf, problem, io } = options;

  const parse = (ctx: CheckContext, file: string, text: string, key?: string): T => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw corrupt(ctx, join(dir, file), 'not valid JSON', key);
    }
    const issue = problem(value);
    if (issue !== undefined) throw corrupt(ctx, join(dir, file), issue, key);
    if (key !== undefined && keyOf(value as T) !== key) {
      throw corrupt(
        ctx,
        join(dir, file),
        `it holds the record of another key (${JSON.stringify(keyOf(value as T))})`,
        key,
      );
    }
    return value as T;
  };

  return {
    path: dir,
    async read(ctx, key) {
      const file = fileNameOf(key, extension);
      const text = await readTextFile(dir, file);
      return text === undefined ? undefined : parse(ctx, file, text, key);
    },
    async write(key, value) {
      await writeFileAtomic(dir, fileNameOf(key, extension), JSON.stringify(value), io);
    },
    async remove(key) {
      return removeFile(dir, fileNameOf(key, extension));
    },
    async readAll(ctx) {
      const names = await listFileNames(dir, extension);
      const records: T[] = [];
      for (let i = 0; i < names.length; i += batchSize) {
        const batch = names.slice(i, i + batchSize);
        const texts = await Promise.all(batch.map((name) => readTextFile(dir, name)));
        texts.forEach((text, j) => {
          if (text !== undefined) records.push(parse(ctx, batch[j]!, text));
        });
      }
      return records;
    },
  };
}
