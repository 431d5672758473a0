/** Type-checking the code blocks of Markdown pages in one TypeScript program. */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { type CodeBlock, extractBlocks, type Problem } from './blocks.js';
import { findExcerptMismatch } from './excerpt.js';

/** Options of {@link checkDocs}. */
export interface CheckDocsOptions {
  /** The repository root: `tsconfig.base.json`, the packages and the pages are found from it. */
  readonly root: string;
  /** The pages to check, relative to `root`. Default: {@link defaultMarkdownFiles}. */
  readonly files?: readonly string[];
  /** Keep the extracted modules (for debugging); their dir is returned as `workDir`. */
  readonly keep?: boolean;
}

/** What {@link checkDocs} found. */
export interface CheckDocsResult {
  /** One line per problem (`file.md:line[:column] message`), empty when everything compiles. */
  readonly reports: readonly string[];
  readonly files: number;
  /** Standalone blocks, type-checked. */
  readonly modules: number;
  /** `excerpt=` blocks, compared with their source. */
  readonly excerpts: number;
  /** Where the modules were written (removed unless `keep`). */
  readonly workDir: string;
}

/** The root and package READMEs, and every `*.md` under `docs/` except the generated API reference. */
export function defaultMarkdownFiles(root: string): string[] {
  const files = ['README.md'];
  for (const pkg of readdirSync(join(root, 'packages'))) {
    if (existsSync(join(root, 'packages', pkg, 'README.md'))) files.push(`packages/${pkg}/README.md`);
  }
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (path !== 'docs/api') walk(path);
      } else if (entry.name.endsWith('.md')) {
        files.push(path);
      }
    }
  };
  walk('docs');
  return files.sort();
}

/**
 * Checks the TypeScript blocks of Markdown pages: excerpts against their source, standalone
 * blocks (and the quoted sources) with the compiler, all in one program.
 */
export function checkDocs(options: CheckDocsOptions): CheckDocsResult {
  const { root } = options;
  const files = options.files ?? defaultMarkdownFiles(root);
  const problems: Problem[] = [];
  const blocks: CodeBlock[] = [];
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    const found = extractBlocks(file, text, (path) => existsSync(join(root, path)));
    blocks.push(...found.blocks);
    problems.push(...found.problems);
  }

  // Excerpts are compared with their source here; the sources join the program below.
  const excerptSources = new Set<string>();
  for (const block of blocks) {
    if (block.kind.type !== 'excerpt') continue;
    const source = resolve(root, block.kind.source);
    excerptSources.add(source);
    const mismatch = findExcerptMismatch(block.code, readFileSync(source, 'utf8'));
    if (mismatch) {
      problems.push({
        markdownFile: block.markdownFile,
        line: block.fenceLine + 1 + mismatch.line,
        message: `not an excerpt of ${block.kind.source}: ${mismatch.message} (mark omitted code with …)`,
      });
    }
  }

  const workDir = realpathSync(mkdtempSync(join(tmpdir(), 'claw-docs-')));
  try {
    const modules = new Map<string, CodeBlock>();
    for (const block of blocks) {
      if (block.kind.type !== 'module') continue;
      // docs/guides/x.md, fence on line 12 → <tmp>/docs/guides/x.md/L12.ts (readable with `keep`).
      const path = join(workDir, ...block.markdownFile.split('/'), `L${block.fenceLine}.ts`);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, block.code);
      modules.set(path, block);
    }

    const compilerOptions = loadCompilerOptions(root);
    const rootNames = [...modules.keys(), ...excerptSources];
    const host = createHost(compilerOptions, root, workDir);
    const program = ts.createProgram({ rootNames, options: compilerOptions, host });
    const diagnostics = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
    // Only the blocks and the quoted files are reported: the packages have their own typecheck.
    for (const file of rootNames) {
      const sourceFile = program.getSourceFile(file);
      if (!sourceFile) throw new Error(`check-docs: ${file} is missing from the program`);
      diagnostics.push(
        ...program.getSyntacticDiagnostics(sourceFile),
        ...program.getSemanticDiagnostics(sourceFile),
      );
    }

    return {
      reports: [
        ...problems.map((p) => `${p.markdownFile}:${p.line}: ${p.message}`),
        ...diagnostics.map((d) => formatDiagnostic(d, root, modules)),
      ],
      files: files.length,
      modules: modules.size,
      excerpts: blocks.length - modules.size,
      workDir,
    };
  } finally {
    if (!options.keep) rmSync(workDir, { recursive: true, force: true });
  }
}

/** The compiler options of `tsconfig.base.json` (strict, workspace `paths`), for a check-only run. */
function loadCompilerOptions(root: string): ts.CompilerOptions {
  const configPath = join(root, 'tsconfig.base.json');
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(
    { ...config.config, files: [] },
    ts.sys,
    root,
    undefined,
    configPath,
  );
  const errors = parsed.errors.filter((d) => d.code !== 18002 /* the empty "files" list */);
  if (errors.length > 0) {
    throw new Error(errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n'));
  }
  return { ...parsed.options, noEmit: true, declaration: false, sourceMap: false };
}

/**
 * A compiler host for modules that live in a temp dir. Files of the repo resolve imports as
 * usual. A block resolves a bare import as from the repo root (workspace `paths`, root
 * `node_modules`), then as from each package: a reader who installed the packages also has
 * their dependencies (zod, the optional vendor SDK …), but the root `node_modules` of a pnpm
 * workspace holds only the root's own devDependencies. Never from the temp dir, whose parents
 * may hold unrelated `node_modules`.
 */
function createHost(options: ts.CompilerOptions, root: string, workDir: string): ts.CompilerHost {
  const host = ts.createCompilerHost(options, true);
  const cache = ts.createModuleResolutionCache(root, (name) => name, options);
  const anchors = ['.', 'packages/core', 'packages/provider-kit', 'packages/channel-kit'].map((dir) =>
    join(root, dir, '__docs__.ts'),
  );
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, opts, sourceFile) =>
    literals.map((literal) => {
      const mode = ts.getModeForUsageLocation(sourceFile, literal, opts);
      const resolveFrom = (from: string) =>
        ts.resolveModuleName(literal.text, from, opts, host, cache, redirected, mode);
      if (!containingFile.startsWith(workDir)) return resolveFrom(containingFile);
      // A relative import cannot work from the temp dir: report it as unresolved.
      if (literal.text.startsWith('.')) return resolveFrom(containingFile);
      for (const anchor of anchors) {
        const result = resolveFrom(anchor);
        if (result.resolvedModule) return result;
      }
      return resolveFrom(anchors[0]!); // unresolved: reported as from the repo root
    });
  return host;
}

/** `file.md:line:column TS1234: message` — pointing into the Markdown for a block. */
function formatDiagnostic(
  diagnostic: ts.Diagnostic,
  root: string,
  modules: ReadonlyMap<string, CodeBlock>,
): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n    ');
  const code = `TS${diagnostic.code}`;
  if (!diagnostic.file || diagnostic.start === undefined) return `${code}: ${message}`;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  const block = modules.get(resolve(diagnostic.file.fileName));
  if (!block) {
    return `${relative(root, diagnostic.file.fileName)}:${line + 1}:${character + 1} ${code}: ${message}`;
  }
  const text = diagnostic.file.text.split('\n')[line]?.trim() ?? '';
  const position = `${block.markdownFile}:${block.fenceLine + 1 + line}:${block.indent + character + 1}`;
  return `${position} ${code}: ${message}\n    > ${text}`;
}
