import { defineConfig } from 'vitest/config';

// What Stryker runs for every mutant: the unit tests next to the code only. The packaging checks under
// test/ (build, pack, publint, attw, TSDoc) and the type tests (*.test-d.ts) do not exercise the
// mutated sources and would make each run take tens of seconds.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    typecheck: { enabled: false },
  },
});
