/** Finding the TypeScript code blocks of a Markdown page, and what kind each one is. */

/** Languages (the first word of a fence's info string) whose blocks are checked. */
export const checkedLanguages: ReadonlySet<string> = new Set(['ts', 'typescript']);

/** How a block is checked, from its info string (see `docs/README.md`, "For contributors"). */
export type BlockKind =
  /** ```` ```ts ````: a standalone module, type-checked. */
  | { readonly type: 'module' }
  /** ```` ```ts excerpt=<path> ````: must match that workspace file token for token. */
  | { readonly type: 'excerpt'; readonly source: string };

/** One fenced TypeScript block of a Markdown file. */
export interface CodeBlock {
  /** The Markdown file, relative to the repo root (used in reports). */
  readonly markdownFile: string;
  /** 1-based line of the opening fence; the code starts on the next line. */
  readonly fenceLine: number;
  /** The indentation removed from every code line (fences inside list items are indented). */
  readonly indent: number;
  /** The code, ending with a newline. */
  readonly code: string;
  readonly kind: BlockKind;
}

/** Something wrong with a page that is not a type error (a bad info string, a wrong excerpt). */
export interface Problem {
  readonly markdownFile: string;
  /** 1-based line in the Markdown file. */
  readonly line: number;
  readonly message: string;
}

const fenceOpen = /^(\s*)(`{3,}|~{3,})(.*)$/;

/**
 * Extracts the checked blocks of one Markdown file, following CommonMark fences: a block ends at
 * a fence of the same character that is at least as long as the opening one (or at the end of
 * the file). Blocks marked `fragment` are left out; invalid info strings become problems.
 *
 * @param exists Whether a repo-relative path exists (to check `excerpt=` paths).
 */
export function extractBlocks(
  markdownFile: string,
  text: string,
  exists: (path: string) => boolean,
): { blocks: CodeBlock[]; problems: Problem[] } {
  const lines = text.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  const problems: Problem[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = fenceOpen.exec(lines[i] ?? '');
    if (!open) continue;
    const [, indentText = '', fence = '', info = ''] = open;
    // A backtick fence's info string cannot contain a backtick: that line is inline code.
    if (fence.startsWith('`') && info.includes('`')) continue;
    const closing = new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    let end = i + 1;
    while (end < lines.length && !closing.test(lines[end] ?? '')) end++;
    const [language = '', ...attributes] = info.trim().split(/\s+/);
    if (checkedLanguages.has(language.toLowerCase())) {
      const fenceLine = i + 1;
      const report = (message: string) => problems.push({ markdownFile, line: fenceLine, message });
      const kind = blockKind(attributes, exists, report);
      if (kind) {
        const indent = indentText.length;
        const code = lines
          .slice(i + 1, end)
          .map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length)))
          .join('\n');
        blocks.push({ markdownFile, fenceLine, indent, code: `${code}\n`, kind });
      }
    }
    i = end;
  }
  return { blocks, problems };
}

/** Reads a block's info-string attributes; `undefined` for a fragment or an invalid block. */
function blockKind(
  attributes: readonly string[],
  exists: (path: string) => boolean,
  report: (message: string) => void,
): BlockKind | undefined {
  let kind: BlockKind = { type: 'module' };
  for (const attribute of attributes) {
    if (attribute === 'fragment') return undefined;
    if (attribute.startsWith('excerpt=')) {
      const source = attribute.slice('excerpt='.length).replace(/^["']|["']$/g, '');
      if (source === '' || !exists(source)) {
        report(`excerpt=${source}: no such file (the path is relative to the repository root)`);
        return undefined;
      }
      kind = { type: 'excerpt', source };
    } else {
      // Fail loud: a typo such as `framgent` would otherwise silently change how the block is checked.
      report(`unknown code block attribute "${attribute}" (allowed: fragment, excerpt=<path>)`);
      return undefined;
    }
  }
  return kind;
}
