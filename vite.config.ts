// Builds the renderer (React + AG Grid) into dist/renderer, loaded by both hosts: the browser host serves it
// from 127.0.0.1, Electron loads it from disk, hence relative asset URLs. No inline scripts or styles are
// emitted, so the pages run under a CSP of script-src 'self' and a per-page style nonce.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('./renderer', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 4000,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: { host: '127.0.0.1', strictPort: false },
});
