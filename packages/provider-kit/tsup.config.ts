import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'testing/index': 'src/testing/index.ts',
    'anthropic/index': 'src/anthropic/index.ts',
    'openai-compatible/index': 'src/openai-compatible/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  tsconfig: 'tsconfig.build.json',
  target: 'node20',
  sourcemap: true,
  clean: true,
  external: ['vitest', '@anthropic-ai/sdk'],
});
