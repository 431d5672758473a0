import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  tsconfig: 'tsconfig.build.json',
  target: 'node20',
  sourcemap: true,
  clean: true,
  // vitest is only needed by the conformance kit under ./testing, and only as a peer.
  external: ['vitest'],
});
