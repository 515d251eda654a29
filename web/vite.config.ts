import { defineConfig } from 'vite';

// The browser app: `npm run build:web` (vite build web) writes web/dist, which `enrich serve` serves.
// JSX goes through Vite's own esbuild (no Babel plugin needed); `npm run dev:web` proxies /api to a
// running `enrich serve` on port 3000.
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 800 },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
  logLevel: 'warn',
});
