/**
 * `pnpm bench [name…]`: runs every `bench/*.bench.ts` (or the ones whose file name contains one of
 * the given words) one after another, each in its own process so one benchmark's heap cannot
 * disturb the next. Each benchmark prints its own table.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
  .sort();

if (files.length === 0) {
  console.error(`No benchmark matches ${filters.join(', ')}.`);
  process.exit(1);
}

let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', `${dir}${file}`], {
    stdio: 'inherit',
    env: { ...process.env, TSX_TSCONFIG_PATH: `${dir}../tsconfig.json` },
  });
  if (result.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
