// The agent web app: built into web/dist and served by TruthDesk itself at `/`.
// Tests use the separate vitest.config.ts at the repository root.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // Chart.js is only loaded by the dashboard; keep the inbox's first load small.
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:3000', ws: true }, '/healthz': 'http://127.0.0.1:3000' },
  },
});
