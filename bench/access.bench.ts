/**
 * Access-rule benchmarks (issue 3). Measures, on one core:
 *   - `decideAccess` on a realistic multi-channel config (4 channels, accounts, 200 listed groups,
 *     50-entry allowlists, mention patterns, group tool policies) over a mixed message stream:
 *     DMs (allowed, unknown → pairing, paired), group messages (mentioned, unmentioned, replies to
 *     the bot, strangers, commands), compiled config and raw config (WeakMap-cached) entry points;
 *   - mention matching: 20 patterns against 2 KB texts (no match: every pattern scans the whole
 *     window; match at the end; match at the start).
 * Every decision's action is checked against the expected one first (exits non-zero on a mismatch).
 * Run with `pnpm bench access` (or `node --expose-gc --import tsx bench/access.bench.ts`).
 */
import { cpus } from 'node:os';
import type { InboundMessage } from '@claw/channel-kit';
import {
  type AccessAction,
  type AccessFacts,
  compileMentionPatterns,
  createAccessConfig,
  decideAccess,
  matchMentionPatterns,
} from '@claw/core';

const ROUNDS = 7;
const ROUND_MS = 300;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** ops/s of `fn` over `inputs`: ROUNDS rounds of ≥ ROUND_MS each, median. */
function measure<T>(inputs: readonly T[], fn: (input: T) => number): number {
  let sink = 0;
  for (let w = 0; w < 3; w++) for (const input of inputs) sink += fn(input);
  const rates: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let ops = 0;
    const start = performance.now();
    let elapsed = 0;
    do {
      for (let i = 0; i < inputs.length; i++) sink += fn(inputs[i] as T);
      ops += inputs.length;
      elapsed = performance.now() - start;
    } while (elapsed < ROUND_MS);
    rates.push((ops / elapsed) * 1000);
  }
  if (sink === 42) console.log('');
  return median(rates);
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const us = (opsPerSecond: number) => (1e6 / opsPerSecond).toFixed(3);

// ---- a deterministic pseudo-random stream (no Math.random: reproducible runs) ----
let seed = 42;
const rand = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

// ---- the config ----
const tgUsers = Array.from({ length: 50 }, (_, i) => String(100_000 + i));
const waUsers = Array.from({ length: 50 }, (_, i) => `+1555${String(1_000_000 + i)}`);
const dcUsers = Array.from({ length: 50 }, (_, i) => String(800_000_000_000 + i));
const slUsers = Array.from({ length: 50 }, (_, i) => `U${String(10_000 + i)}`);
const tgGroups = Array.from({ length: 200 }, (_, i) => String(-1_001_000_000_000 - i));
const waGroups = Array.from({ length: 200 }, (_, i) => `1203630${String(10_000 + i)}@g.us`);
const groupsOf = (ids: readonly string[]) =>
  Object.fromEntries([
    ['*', { requireMention: true, tools: { deny: ['group:runtime'] } }],
    ...ids.map((id, i) => [
      id,
      i % 10 === 0
        ? { requireMention: false, toolsBySender: { [`id:${tgUsers[0]}`]: { alsoAllow: ['exec'] } } }
        : { requireMention: true, tools: { deny: ['group:runtime', 'browser'] } },
    ]),
  ]);

const rawConfig = {
  channels: {
    defaults: { historyLimit: 30 },
    telegram: {
      dmPolicy: 'pairing',
      allowFrom: tgUsers.slice(0, 20).map((u) => `tg:${u}`),
      groupAllowFrom: tgUsers,
      groups: groupsOf(tgGroups),
      accounts: { support: { dmPolicy: 'allowlist', allowFrom: tgUsers.slice(20) } },
    },
    whatsapp: {
      dmPolicy: 'allowlist',
      allowFrom: waUsers,
      groupAllowFrom: waUsers,
      groups: groupsOf(waGroups),
    },
    discord: {
      dmPolicy: 'pairing',
      allowFrom: dcUsers.slice(0, 5),
      groupPolicy: 'open',
      groupAllowFrom: dcUsers,
    },
    slack: { dmPolicy: 'open', allowFrom: ['*'], groupPolicy: 'allowlist', groups: { C0001: {}, C0002: {} } },
  },
  messages: { groupChat: { mentionPatterns: ['\\bclaw\\b', '@?clawbot', 'hey assistant'] } },
  tools: { deny: ['gateway'] },
  agents: {
    list: [
      { id: 'main', name: 'Claw', tools: { deny: ['cron'] } },
      { id: 'ops', name: 'Ops Bot' },
    ],
  },
};
const config = createAccessConfig(rawConfig);

// ---- the message stream ----
interface Case {
  readonly msg: InboundMessage;
  readonly facts: AccessFacts;
  readonly expect: AccessAction;
}
const botFacts: Record<string, AccessFacts> = {
  telegram: { bot: { id: '999', username: 'claw_bot' }, agentId: 'main' },
  whatsapp: { bot: { e164: '+15550009999' }, agentId: 'main' },
  discord: { bot: { id: '700000000000' }, agentId: 'ops' },
  slack: { bot: { id: 'UBOT' }, agentId: 'main' },
};
const chatty = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt.';
let n = 0;
const msg = (
  channel: string,
  kind: 'direct' | 'group',
  peer: string,
  sender: Partial<InboundMessage['sender']> & { id: string },
  text: string,
  extra: Partial<InboundMessage> = {},
): InboundMessage => ({
  channel,
  messageId: String(n++),
  peer: { kind, id: peer },
  sender,
  text,
  timestamp: 1_700_000_000_000,
  ...extra,
});

function makeCase(): Case {
  const r = rand();
  if (r < 0.1) {
    const u = pick(tgUsers.slice(0, 20));
    return {
      msg: msg('telegram', 'direct', u, { id: u }, chatty),
      facts: botFacts['telegram']!,
      expect: 'dispatch',
    };
  }
  if (r < 0.15) {
    const u = String(200_000 + Math.floor(rand() * 1000));
    return {
      msg: msg('telegram', 'direct', u, { id: u }, 'hi'),
      facts: botFacts['telegram']!,
      expect: 'pairing',
    };
  }
  if (r < 0.2) {
    const u = String(300_000 + Math.floor(rand() * 10));
    const facts = { ...botFacts['telegram']!, pairingAllowFrom: [u, '300001', '300002'] };
    return { msg: msg('telegram', 'direct', u, { id: u }, 'hello'), facts, expect: 'dispatch' };
  }
  if (r < 0.25) {
    const u = pick(waUsers);
    const m = msg('whatsapp', 'direct', u, { id: `${u.slice(1)}@s.whatsapp.net`, e164: u }, chatty);
    return { msg: m, facts: botFacts['whatsapp']!, expect: 'dispatch' };
  }
  if (r < 0.45) {
    const g = pick(tgGroups);
    const u = pick(tgUsers);
    const mentioned = rand() < 0.5;
    const m = msg('telegram', 'group', g, { id: u }, mentioned ? `@claw_bot ${chatty}` : chatty);
    const noMention = tgGroups.indexOf(g) % 10 === 0;
    return { msg: m, facts: botFacts['telegram']!, expect: mentioned || noMention ? 'dispatch' : 'skip' };
  }
  if (r < 0.55) {
    const g = pick(tgGroups);
    const m = msg('telegram', 'group', g, { id: pick(tgUsers) }, 'sure', {
      replyTo: { messageId: '1', senderId: '999' },
    });
    return { msg: m, facts: botFacts['telegram']!, expect: 'dispatch' };
  }
  if (r < 0.6) {
    const m = msg('telegram', 'group', pick(tgGroups), { id: '555' }, 'claw do it');
    return { msg: m, facts: botFacts['telegram']!, expect: 'drop' };
  }
  if (r < 0.65) {
    const m = msg('telegram', 'group', pick(tgGroups), { id: pick(tgUsers) }, '/status');
    return { msg: m, facts: botFacts['telegram']!, expect: 'dispatch' };
  }
  if (r < 0.8) {
    const u = pick(waUsers);
    const pattern = rand() < 0.3;
    const m = msg(
      'whatsapp',
      'group',
      pick(waGroups),
      { id: `${u.slice(1)}@s.whatsapp.net`, e164: u },
      pattern ? 'hey claw, a question' : chatty,
    );
    const g = waGroups.indexOf(m.peer.id) % 10 === 0;
    return { msg: m, facts: botFacts['whatsapp']!, expect: pattern || g ? 'dispatch' : 'skip' };
  }
  if (r < 0.9) {
    const mentioned = rand() < 0.5;
    const m = msg('discord', 'group', `C${Math.floor(rand() * 100)}`, { id: pick(dcUsers) }, chatty, {
      mentions: mentioned ? { self: true, users: ['700000000000'] } : { users: ['800000000001'] },
    });
    return { msg: m, facts: botFacts['discord']!, expect: mentioned ? 'dispatch' : 'skip' };
  }
  const m = msg('slack', 'group', pick(['C0001', 'C0002', 'C0003']), { id: pick(slUsers) }, 'claw?');
  return { msg: m, facts: botFacts['slack']!, expect: m.peer.id === 'C0003' ? 'drop' : 'dispatch' };
}

const cases = Array.from({ length: 10_000 }, makeCase);
let mismatches = 0;
for (const c of cases) {
  const got = decideAccess(config, c.msg, c.facts).action;
  if (got !== c.expect) {
    if (mismatches++ < 5)
      console.error('mismatch', got, c.expect, JSON.stringify(c.msg), JSON.stringify(c.facts));
  }
}

console.log(
  `node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores (one used)`,
);
const mix = cases.reduce<Record<string, number>>((acc, c) => {
  acc[c.expect] = (acc[c.expect] ?? 0) + 1;
  return acc;
}, {});
console.log(
  `decideAccess stream: ${cases.length} messages, actions ${JSON.stringify(mix)}, mismatches ${mismatches}`,
);

const rows: string[][] = [];
const compiledRate = measure(cases, (c) => decideAccess(config, c.msg, c.facts).action.length);
rows.push(['decideAccess (compiled config, mixed stream)', fmt(compiledRate), us(compiledRate)]);
const rawRate = measure(cases, (c) => decideAccess(rawConfig, c.msg, c.facts).action.length);
rows.push(['decideAccess (raw config, WeakMap-cached)', fmt(rawRate), us(rawRate)]);
const explainRate = measure(
  cases.slice(0, 2000),
  (c) => decideAccess(config, c.msg, c.facts).explain().length,
);
rows.push(['decideAccess + explain()', fmt(explainRate), us(explainRate)]);

// ---- mention matching: 20 patterns on 2 KB texts ----
const patterns = compileMentionPatterns([
  '\\bclaw\\b',
  '@?clawbot',
  'hey\\s+assistant',
  '\\bok\\s+claw\\b',
  '^claw[,:]',
  '\\+15550009999',
  '\\bassistant,',
  'robot\\s+friend',
  '(?:hi|hello)\\s+bot\\b',
  '\\bjarvis\\b',
  'computer[,!]',
  '\\bclawd\\b',
  '@everyone-bot',
  '\\bhelper\\b',
  'yo\\s+claw',
  'claw\\s+please',
  '\\bmolty\\b',
  '小助手',
  '\\bbutler\\b',
  'dear\\s+bot',
]);
const filler = 'The quick brown fox jumps over the lazy dog while the team discusses the release plan. ';
const base = filler.repeat(Math.ceil(2048 / filler.length)).slice(0, 2048);
const texts = {
  none: Array.from({ length: 100 }, (_, i) => `${i} ${base}`.slice(0, 2048)),
  end: Array.from({ length: 100 }, (_, i) => `${i} ${base}`.slice(0, 2040) + ' butler'),
  start: Array.from({ length: 100 }, (_, i) => `claw ${i} ${base}`.slice(0, 2048)),
};
if (
  !texts.end.every((t) => matchMentionPatterns(patterns, t).matched) ||
  texts.none.some((t) => matchMentionPatterns(patterns, t).matched)
) {
  console.error('mention benchmark texts do not match as expected');
  mismatches++;
}
for (const [name, list] of Object.entries(texts)) {
  const rate = measure(list, (t) => (matchMentionPatterns(patterns, t).matched ? 1 : 0));
  rows.push([
    `mention match, 20 patterns, 2 KB text (${name === 'none' ? 'no match' : `match at ${name}`})`,
    fmt(rate),
    us(rate),
  ]);
}

const width = Math.max(...rows.map((r) => r[0]!.length));
console.log(`\n${'benchmark'.padEnd(width)}  ${'ops/s'.padStart(12)}  ${'µs/op'.padStart(8)}`);
for (const [name, rate, per] of rows)
  console.log(`${name!.padEnd(width)}  ${rate!.padStart(12)}  ${per!.padStart(8)}`);
if (compiledRate < 1_000_000) console.log('\nnote: below the 1 000 000 decisions/s target on this machine');
process.exit(mismatches === 0 ? 0 : 1);
