/**
 * Checks every TypeScript code block of the READMEs and the docs (`pnpm docs:check`).
 *
 *   tsx scripts/check-docs.ts [--keep] [file.md …]
 *
 * With files, only those pages are checked; `--keep` leaves the extracted modules in the temp
 * dir and prints its path.
 *
 * Blocks tagged `ts` or `typescript` come in three kinds (documented for contributors at the top
 * of `docs/README.md`):
 *
 * - ```` ```ts ````: a standalone module. It is written to a temp dir and type-checked with the
 *   strict options of `tsconfig.base.json`; `@claw/*` imports resolve to the package sources
 *   through the workspace `paths`, so the docs are checked against the code as it is now.
 * - ```` ```ts excerpt=<path> ````: a quotation of a workspace file (an example, a test). It must
 *   match that file token for token (comments and formatting may differ; `…` omits code), and the
 *   file itself is type-checked in the same program.
 * - ```` ```ts fragment ````: skipped.
 *
 * Everything is checked in one TypeScript program, so the package sources are parsed and checked
 * once. Each problem is reported as `<file.md>:<line>[:<column>]`; any problem exits non-zero.
 */
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkDocs } from './docs-check/check.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function parseArgs(argv: readonly string[]): { keep: boolean; files: string[] } {
  const files: string[] = [];
  let keep = false;
  for (const arg of argv) {
    if (arg === '--keep') keep = true;
    else if (arg.startsWith('-')) throw new Error(`check-docs: unknown option ${arg} (allowed: --keep)`);
    else files.push(relative(root, resolve(arg)).split('\\').join('/'));
  }
  return { keep, files };
}

const started = performance.now();
const args = parseArgs(process.argv.slice(2));
const result = checkDocs({ root, keep: args.keep, ...(args.files.length > 0 ? { files: args.files } : {}) });
const seconds = ((performance.now() - started) / 1000).toFixed(1);
const summary = `${result.modules} code blocks and ${result.excerpts} excerpts in ${result.files} files`;
if (args.keep) process.stdout.write(`docs:check: extracted modules kept in ${result.workDir}\n`);
if (result.reports.length > 0) {
  process.stderr.write(`${result.reports.join('\n')}\n\n`);
  process.stderr.write(`docs:check: ${result.reports.length} problems in ${summary} (${seconds}s)\n`);
  process.exitCode = 1;
} else {
  process.stdout.write(`docs:check: ${summary}: all compile (${seconds}s)\n`);
}
