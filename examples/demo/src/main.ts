import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chooseModel } from './model-choice.js';
import { printReport } from './report.js';
import { printRoutePreview } from './route-preview.js';
import { runDemo } from './run-demo.js';
import { style } from './style.js';

const help = `Claw SDK demo — one gateway, several chats, every answer where it was asked.

Usage: pnpm demo [options]

Simulates a team on Slack and Telegram talking to one bot at the same time: a dev-team channel
with a CI thread, a release channel, a Telegram forum topic, a private DM, a stranger offered
pairing, an un-mentioned message kept as context, and "analyse documents A and B" running as two
background jobs. Prints every decision, session key and where each reply landed, then checks the
result itself.

Options:
  --model <provider:model>  use a real model: anthropic:<id> (ANTHROPIC_API_KEY), openai:<id>
                            (OPENAI_API_KEY, OPENAI_BASE_URL), ollama:<id> (OLLAMA_BASE_URL), or
                            "scripted". Default: ${'anthropic:claude-sonnet-4-5'} when ANTHROPIC_API_KEY is
                            set, else the scripted model (no network, no key).
  --dir <path>              keep the file-backed stores under <path> (e.g. .claw), one folder per
                            run, instead of a temp dir removed at the end
  --explain                 also show how the router explains a few routing decisions
  -h, --help                show this help

Exit code: 0 when every check passes, 1 otherwise.`;

const { values } = parseArgs({
  // `pnpm demo -- --help` passes the `--` through; drop it.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    model: { type: 'string' },
    dir: { type: 'string' },
    explain: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(help);
  process.exit(0);
}

const choice = chooseModel(values.model, process.env);
// Each run gets its own store directory: a second run over the same stores would (rightly) treat
// every message as a platform redelivery and skip it.
const dir =
  values.dir === undefined
    ? mkdtempSync(join(tmpdir(), 'claw-demo-'))
    : join(resolve(values.dir), `run-${new Date().toISOString().replace(/[:.]/g, '-')}`);
console.log(style.bold('Claw SDK demo'));
console.log(style.dim(`model: ${choice.description}`));
console.log(style.dim(`stores: file-backed in ${dir}`));
if (values.explain) printRoutePreview();

try {
  const report = await runDemo({ model: choice.model, dir });
  printReport(report);
  const ok = report.checks.every((c) => c.ok);
  console.log(ok ? style.green('\nAll checks passed.') : style.red('\nSome checks failed.'));
  process.exitCode = ok ? 0 : 1;
} finally {
  if (values.dir === undefined) rmSync(dir, { recursive: true, force: true });
}
