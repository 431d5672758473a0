import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Resolve workspace packages to their TypeScript sources in tests, so a test never runs
 * against a stale `dist/`. Order matters: subpaths before the package root.
 */
export const workspaceAliases = [
  ['@claw/channel-kit/testing', 'packages/channel-kit/src/testing/index.ts'],
  ['@claw/channel-kit', 'packages/channel-kit/src/index.ts'],
  ['@claw/provider-kit/testing', 'packages/provider-kit/src/testing/index.ts'],
  ['@claw/provider-kit/anthropic', 'packages/provider-kit/src/anthropic/index.ts'],
  ['@claw/provider-kit/openai-compatible', 'packages/provider-kit/src/openai-compatible/index.ts'],
  ['@claw/provider-kit', 'packages/provider-kit/src/index.ts'],
  ['@claw/core/testing', 'packages/core/src/testing/index.ts'],
  ['@claw/core', 'packages/core/src/index.ts'],
].map(([name, path]) => ({
  find: new RegExp(`^${(name as string).replace(/[/.]/g, '\\$&')}$`),
  replacement: `${root}${path}`,
}));
