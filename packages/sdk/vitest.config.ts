import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // test/: packaging checks (build, bundle size, publint, attw, the packed tarball from Node ESM and CJS)
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
