import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runDemo } from './run-demo.js';
import { createScriptedModel } from './scripted-model.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the demo story', () => {
  it('passes every check it computes itself, with file-backed stores', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claw-demo-test-'));
    dirs.push(dir);
    const report = await runDemo({ model: createScriptedModel(), dir });

    for (const check of report.checks)
      expect({ check: check.name, details: check.details, ok: check.ok }).toMatchObject({ ok: true });

    const byId = new Map(
      report.conversations.flatMap((c) => c.messages).map((m) => [m.message.messageId, m.receipt]),
    );
    expect(byId.get('S1')?.status).toBe('skipped');
    expect(byId.get('S5')?.agentId).toBe('release');
    expect(byId.get('T3')?.status).toBe('pairing');

    const announces = report.replies.filter((r) => r.kind === 'background');
    expect(announces).toHaveLength(2);
    for (const a of announces)
      expect(a.sent.target).toMatchObject({ peer: { id: 'C0DEVTEAM' }, threadId: '1732180000.000100' });
    // The ack of the spawning turn is posted before either result.
    const ack = report.replies.find((r) => r.kind === 'turn' && r.origin?.messageId === 'S4');
    expect(ack).toBeDefined();
    for (const a of announces) expect(a.sent.at).toBeGreaterThan(ack?.sent.at ?? Number.POSITIVE_INFINITY);

    // The un-mentioned message reached the next turn of its own channel only (the scripted model
    // says so when it sees pending group history).
    const sawContext = (messageId: string) =>
      report.replies.some(
        (r) => r.origin?.messageId === messageId && r.sent.message.text.includes('earlier messages'),
      );
    expect(sawContext('S2')).toBe(true);
    expect(sawContext('S3')).toBe(false);
  });
});
