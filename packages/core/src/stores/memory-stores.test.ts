import { describe, expect, it } from 'vitest';
import { storeConformance } from '../testing/index.js';
import { createMemoryDedupeStore, createMemoryStores } from './memory-stores.js';

storeConformance(() => createMemoryStores(), { name: 'memory stores conformance' });

describe('memory stores', () => {
  it('hand out frozen records, so a caller cannot change what is stored', async () => {
    const stores = createMemoryStores();
    const entry = await stores.sessions.touch('s', 1);
    expect(Object.isFrozen(entry)).toBe(true);
    const [line] = await stores.transcripts.read('s').then(async () => {
      await stores.transcripts.append('s', { role: 'user', text: 'x', at: 1, data: { nested: [1] } });
      return stores.transcripts.read('s');
    });
    expect(Object.isFrozen((line!.data as { nested: number[] }).nested)).toBe(true);
  });

  it('store what a file store would: values that are not JSON are rejected', async () => {
    const stores = createMemoryStores();
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    await expect(
      stores.transcripts.append('s', { role: 'user', text: 'x', at: 1, data: cyclic }),
    ).rejects.toMatchObject({
      code: 'invalid_argument',
    });
  });

  it('name the field that is not JSON, however deep, and still take valid values afterwards', async () => {
    const stores = createMemoryStores();
    const shared = { n: 1 };
    const cases: [unknown, string][] = [
      [{ list: [1, { when: new Date(0) }] }, 'data.list[1].when is an instance of Date'],
      [{ a: { b: Number.NaN } }, 'data.a.b is the number NaN'],
      [[[1, () => 1]], 'data[0][1] is a function'],
    ];
    for (const [data, message] of cases) {
      await expect(
        stores.transcripts.append('s', { role: 'user', text: 'x', at: 1, data: data as never }),
      ).rejects.toThrow(`the value is not JSON data: ${message}.`);
    }
    const cyclic: Record<string, unknown> = { inner: {} };
    (cyclic['inner'] as Record<string, unknown>)['back'] = cyclic;
    await expect(
      stores.transcripts.append('s', { role: 'user', text: 'x', at: 1, data: cyclic as never }),
    ).rejects.toThrow('data.inner.back is a cycle');
    // The same object twice side by side is not a cycle.
    await stores.transcripts.append('s', { role: 'user', text: 'y', at: 1, data: { a: shared, b: shared } });
    expect((await stores.transcripts.read('s')).map((e) => e.data)).toEqual([{ a: { n: 1 }, b: { n: 1 } }]);
  });

  it('forget expired dedupe claims as claims pile up, so memory follows the live claims', async () => {
    const dedupe = createMemoryDedupeStore();
    for (let i = 0; i < 5000; i++) await dedupe.claim(`k${i}`, 10, i * 100);
    // Every claim but the newest has expired; at most one sweep interval of them may remain.
    expect(await dedupe.prune(5000 * 100)).toBeLessThan(2048);
  });
});
