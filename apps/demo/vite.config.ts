import { defineConfig } from 'vite';

// Served by the reference server at /demo/ (demo mode), so every asset address starts there.
export default defineConfig({
  base: '/demo/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // One script and one style sheet, both files: the server's CSP allows no inline code.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
