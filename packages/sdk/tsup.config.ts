import { defineConfig } from 'tsup';

export default defineConfig({
  entry: [
    'src/index.ts',
    'src/broadcast-lock.ts',
    'src/client-credentials.ts',
    'src/openid.ts',
    'src/openapi.ts',
    'src/pkce.ts',
    'src/results.ts',
  ],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  treeshake: true,
  // One shared chunk for CJS too, so both entries use the same error classes (instanceof works across them).
  splitting: true,
});
