import { describe, expect, it } from 'vitest';
import { extractBlocks } from './blocks.js';

const page = (...lines: string[]) => lines.join('\n');
const everyFileExists = () => true;

describe('extractBlocks', () => {
  it('finds ts and typescript blocks, with the line of their fence', () => {
    const { blocks, problems } = extractBlocks(
      'docs/x.md',
      page('# Title', '', '```ts', 'const a = 1;', '```', 'text', '```typescript', 'const b = 2;', '```'),
      everyFileExists,
    );
    expect(problems).toEqual([]);
    expect(blocks.map((b) => [b.fenceLine, b.code, b.kind.type])).toEqual([
      [3, 'const a = 1;\n', 'module'],
      [7, 'const b = 2;\n', 'module'],
    ]);
  });

  it('leaves other languages, fragments and unlabelled blocks alone', () => {
    const { blocks } = extractBlocks(
      'docs/x.md',
      page(
        '```sh',
        'npm i',
        '```',
        '```ts fragment',
        'x:',
        '```',
        '```',
        'plain',
        '```',
        '```json',
        '{}',
        '```',
      ),
      everyFileExists,
    );
    expect(blocks).toEqual([]);
  });

  it('does not end a block at a shorter fence or a fence of the other character', () => {
    const { blocks } = extractBlocks(
      'docs/x.md',
      page('````ts', 'const s = `', '```', '~~~', '`;', '````', '```ts', 'const t = 1;', '```'),
      everyFileExists,
    );
    expect(blocks.map((b) => b.code)).toEqual(['const s = `\n```\n~~~\n`;\n', 'const t = 1;\n']);
  });

  it('removes the indentation of a block inside a list item', () => {
    const { blocks } = extractBlocks(
      'docs/x.md',
      page('- step:', '', '   ```ts', '   if (a) {', '     b();', '   }', '   ```'),
      everyFileExists,
    );
    expect(blocks[0]).toMatchObject({ indent: 3, code: 'if (a) {\n  b();\n}\n' });
  });

  it('reads an excerpt attribute, and reports a missing source file', () => {
    const exists = (path: string) => path === 'examples/a.ts';
    const { blocks, problems } = extractBlocks(
      'docs/x.md',
      page('```ts excerpt=examples/a.ts', 'a();', '```', '```ts excerpt=examples/gone.ts', 'b();', '```'),
      exists,
    );
    expect(blocks.map((b) => b.kind)).toEqual([{ type: 'excerpt', source: 'examples/a.ts' }]);
    expect(problems).toEqual([
      { markdownFile: 'docs/x.md', line: 4, message: expect.stringContaining('excerpt=examples/gone.ts') },
    ]);
  });

  it('reports an unknown attribute instead of guessing what the author meant', () => {
    const { blocks, problems } = extractBlocks(
      'docs/x.md',
      page('```ts framgent', 'x:', '```'),
      everyFileExists,
    );
    expect(blocks).toEqual([]);
    expect(problems).toEqual([
      { markdownFile: 'docs/x.md', line: 1, message: expect.stringContaining('"framgent"') },
    ]);
  });

  it('runs an unclosed block to the end of the page', () => {
    const { blocks } = extractBlocks('docs/x.md', page('```ts', 'const a = 1;'), everyFileExists);
    expect(blocks.map((b) => b.code)).toEqual(['const a = 1;\n']);
  });
});
