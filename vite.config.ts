// Builds the Svelte renderer. One bundle serves both hosts: Electron loads dist/renderer from disk
// (hence base './'), the browser host serves the same files over HTTP.
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('./src-renderer', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/renderer', import.meta.url));
// `npm run dev`: the browser host runs separately; its WebSocket is proxied so the page and the
// socket share one origin (the token travels in the page URL either way).
const hostUrl = process.env.CLEARFRAME_HOST_URL ?? 'http://127.0.0.1:5174';

export default defineConfig({
  root,
  base: './',
  plugins: [svelte()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 1024,
  },
  server: {
    host: '127.0.0.1',
    strictPort: false,
    fs: { allow: [fileURLToPath(new URL('.', import.meta.url))] },
    proxy: {
      '/ws': { target: hostUrl, ws: true, changeOrigin: false },
      // Originals for the compare view (authenticated by the host's cookie, set on the socket upgrade).
      '/image': { target: hostUrl, changeOrigin: true },
    },
  },
});
