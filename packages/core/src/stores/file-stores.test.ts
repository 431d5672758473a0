import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { storeConformance } from '../testing/index.js';
import { fileNameOf } from './file-io.js';
import { createFileStores, fileStoreLayout } from './file-stores.js';
import { StoreError } from './store-error.js';
import type { ClawStores } from './types.js';

const dirs = new Map<ClawStores, string>();

async function makeStores(): Promise<ClawStores> {
  const dir = await mkdtemp(join(tmpdir(), 'claw-stores-'));
  const stores = createFileStores({ dir, fsync: false });
  dirs.set(stores, dir);
  return stores;
}

storeConformance(makeStores, {
  name: 'file stores conformance',
  reopen: (stores) => {
    const dir = dirs.get(stores)!;
    const reopened = createFileStores({ dir, fsync: false });
    dirs.set(reopened, dir);
    return reopened;
  },
  cleanup: async (stores) => {
    await rm(dirs.get(stores)!, { recursive: true, force: true });
    dirs.delete(stores);
  },
});

describe('file stores', () => {
  let dir: string;
  afterEach(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });
  const open = async (fsync = false) => {
    dir = await mkdtemp(join(tmpdir(), 'claw-stores-'));
    return createFileStores({ dir, fsync });
  };
  const transcriptFile = (sessionKey: string) =>
    join(dir, fileStoreLayout.transcripts, fileNameOf(sessionKey, '.jsonl'));

  it('skip a transcript line torn by a crash, keep every earlier line, and append cleanly after it', async () => {
    const stores = await open();
    await stores.transcripts.append('s', [
      { role: 'user', text: 'one', at: 1 },
      { role: 'assistant', text: 'two', at: 2 },
    ]);
    // A crash in the middle of the next append: half a line, no newline.
    await appendFile(transcriptFile('s'), '{"role":"user","text":"thr');
    expect((await stores.transcripts.read('s')).map((e) => e.text)).toEqual(['one', 'two']);

    const restarted = createFileStores({ dir, fsync: false });
    await restarted.transcripts.append('s', { role: 'user', text: 'four', at: 4 });
    expect((await restarted.transcripts.read('s')).map((e) => e.text)).toEqual(['one', 'two', 'four']);
    expect((await restarted.transcripts.read('s', { limit: 2 })).map((e) => e.text)).toEqual(['two', 'four']);
  });

  it('read the tail of a long transcript with a limit', async () => {
    const stores = await open();
    const long = 'x'.repeat(1000);
    for (let batch = 0; batch < 10; batch++) {
      await stores.transcripts.append(
        's',
        Array.from({ length: 100 }, (_, i) => ({
          role: 'user' as const,
          text: `${batch * 100 + i}:${long}`,
          at: i,
        })),
      );
    }
    const last = await stores.transcripts.read('s', { limit: 3 });
    expect(last.map((e) => e.text.split(':')[0])).toEqual(['997', '998', '999']);
  });

  it('keep the previous version of a record when a crash leaves a half-written temp file', async () => {
    const stores = await open(true);
    await stores.sessions.update('s', { queueMode: 'collect' }, 1);
    const sessionsDir = join(dir, fileStoreLayout.sessions);
    const file = fileNameOf('s', '.json');
    await writeFile(join(sessionsDir, `${file}.999.1.tmp`), '{"sessionKey":"s","createdAt":');
    const restarted = createFileStores({ dir, fsync: false });
    expect((await restarted.sessions.get('s'))?.queueMode).toBe('collect');
    expect((await restarted.sessions.list()).map((e) => e.sessionKey)).toEqual(['s']);
  });

  it('leave no temp files behind after writes', async () => {
    const stores = await open();
    await Promise.all(Array.from({ length: 20 }, (_, i) => stores.sessions.touch('s', i)));
    const names = await readdir(join(dir, fileStoreLayout.sessions));
    expect(names).toEqual([fileNameOf('s', '.json')]);
    expect((await stores.sessions.get('s'))?.lastActivityAt).toBe(19);
  });

  it('report a damaged record as corrupt, naming the file', async () => {
    const stores = await open();
    await stores.runs.put({
      runId: 'r1',
      parentSessionKey: 'p',
      childSessionKey: 'c',
      agentId: 'main',
      task: 't',
      status: 'running',
      announced: false,
      target: { channel: 'test', accountId: 'default', peer: { kind: 'direct', id: 'u1' } },
      cleanup: 'keep',
      createdAt: 1,
    });
    const file = join(dir, fileStoreLayout.runs, fileNameOf('r1', '.json'));
    await writeFile(file, '{"runId":"r1","status":');
    const error = await stores.runs.get('r1').catch((e: unknown) => e);
    expect(StoreError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'corrupt', store: 'runs', operation: 'get' });
    expect((error as Error).message).toContain(file);
  });

  it('report a record filed under another key as corrupt', async () => {
    const stores = await open();
    await stores.sessions.touch('a', 1);
    const sessionsDir = join(dir, fileStoreLayout.sessions);
    const text = await readFile(join(sessionsDir, fileNameOf('a', '.json')), 'utf8');
    await writeFile(join(sessionsDir, fileNameOf('b', '.json')), text);
    await expect(stores.sessions.get('b')).rejects.toMatchObject({ code: 'corrupt' });
  });

  it('finish settling an outbox part when a crash came between writing done and removing pending', async () => {
    const stores = await open();
    const part = {
      idempotencyKey: 't:0',
      target: { channel: 'test', accountId: 'default', peer: { kind: 'group' as const, id: 'g' } },
      message: { text: 'hi' },
      turnId: 't',
      partIndex: 0,
      chunkIndex: 0,
      createdAt: 1,
    };
    await stores.outbox.record(part);
    const pendingFile = join(dir, fileStoreLayout.outboxPending, fileNameOf('t:0', '.json'));
    const pendingText = await readFile(pendingFile, 'utf8');
    await stores.outbox.markSent('t:0', { platformMessageId: 'p1', at: 2, attempts: 1 });
    await writeFile(pendingFile, pendingText); // the pending copy "survived the crash"
    expect(await stores.outbox.listPending()).toEqual([]);
    expect((await stores.outbox.get('t:0'))?.status).toBe('sent');
    expect(await readdir(join(dir, fileStoreLayout.outboxPending))).toEqual([]);
  });

  it('turn a failing disk into an io StoreError', async () => {
    const stores = await open();
    // A file where the sessions directory should be: every write there fails.
    await writeFile(join(dir, fileStoreLayout.sessions), 'not a directory');
    await expect(stores.sessions.touch('s', 1)).rejects.toMatchObject({
      name: 'StoreError',
      code: 'io',
      store: 'sessions',
    });
  });

  it('reject options without a directory', () => {
    expect(() => createFileStores({ dir: '' })).toThrow(/options\.dir must be a non-empty string/);
    expect(() => createFileStores({ dir: '/tmp/x', fsync: 'yes' as never })).toThrow(
      /fsync must be a boolean/,
    );
  });
});
