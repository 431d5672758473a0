import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkDocs } from './check.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const page = 'scripts/docs-check/__fixtures__/page.md';

describe('checkDocs', () => {
  // One program over the fixture page: a few seconds, so all assertions share it.
  const result = checkDocs({ root, files: [page] });

  it('reports each problem at its line in the Markdown, and nothing for correct blocks', () => {
    expect(result).toMatchObject({ files: 1, modules: 2, excerpts: 2 });
    expect(result.reports).toHaveLength(2);
  });

  it('maps a type error inside an indented block to the Markdown line and column', () => {
    expect(result.reports).toContainEqual(
      expect.stringMatching(/^scripts\/docs-check\/__fixtures__\/page\.md:19:10 TS2322: /),
    );
  });

  it('reports an excerpt that differs from its source at the differing line', () => {
    expect(result.reports).toContainEqual(
      expect.stringMatching(
        /^scripts\/docs-check\/__fixtures__\/page\.md:37: not an excerpt of .*quoted\.ts/,
      ),
    );
  });
});
