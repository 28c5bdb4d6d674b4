import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

// The dashboard (Fastify) serves dist/ itself; in development `vite` proxies the API to it.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [preact()],
  // WEB_OUT_DIR: a build of one's own (the dashboard's WEB_DIST_DIR), for tests run side by side.
  build: { outDir: process.env.WEB_OUT_DIR || 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
