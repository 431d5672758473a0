import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createRouter } from './router.js';
import type { RoutingConfig } from './schema.js';
import type { RouteInput } from './types.js';

interface WorkloadInput extends RouteInput {
  readonly expect: { readonly agentId: string; readonly matchedBy: string; readonly sessionKey: string };
}

const generator = fileURLToPath(new URL('../../../../bench/workload/router-workload.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'claw-router-workload-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the standard router workload resolves as expected', () => {
  const generated = spawnSync(process.execPath, [generator, dir, '--sizes', '10,1000', '--inputs', '2000'], {
    encoding: 'utf8',
  });

  for (const n of [10, 1000]) {
    it(`every input of the ${n}-binding workload gets its expected agent, tier and session key`, () => {
      expect(generated.status, generated.stderr).toBe(0);
      const config = JSON.parse(readFileSync(join(dir, `config-n${n}.json`), 'utf8')) as RoutingConfig;
      const router = createRouter(config);
      for (const set of ['cached', 'distinct']) {
        const inputs = JSON.parse(
          readFileSync(join(dir, `inputs-n${n}-${set}.json`), 'utf8'),
        ) as WorkloadInput[];
        expect(inputs.length).toBe(2000);
        const mismatches = inputs.filter((input) => {
          const route = router.resolve(input);
          const e = input.expect;
          return (
            route.agentId !== e.agentId ||
            route.matchedBy !== e.matchedBy ||
            route.sessionKey !== e.sessionKey
          );
        });
        expect(mismatches.slice(0, 3)).toEqual([]);
      }
    });
  }
});
