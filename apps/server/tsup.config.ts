import { defineConfig } from 'tsup';

// The server as operators run it: plain `node dist/main.js`, no TypeScript loader at run time.
// tsup leaves the package's `dependencies` external (sqlite3 is a native addon; koa, pg, pino and
// the rest load from node_modules), so only our own code is in the bundle.
export default defineConfig({
  entry: ['src/main.ts'],
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  clean: true,
  // The entry is the only one and the source has no dynamic import: one file, no chunks.
  splitting: false,
  banner: { js: '#!/usr/bin/env node' },
});
