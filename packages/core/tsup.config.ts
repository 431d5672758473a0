import { defineConfig, type Options } from 'tsup';

const shared: Options = {
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
  dts: true,
  tsconfig: 'tsconfig.build.json',
  target: 'node20',
  sourcemap: true,
  external: ['vitest'],
};

export default defineConfig([
  { ...shared, format: ['esm'] },
  {
    ...shared,
    format: ['cjs'],
    // p-queue, its p-timeout dependency and nanoid ship ESM only: bundle them into the CJS build so
    // `require('@claw/core')` works on Node 20 without `--experimental-require-module`.
    noExternal: ['p-queue', 'p-timeout', 'nanoid'],
  },
]);
