// Vite build for the offline GraphQL playground served by the API at /playground.
// Run from the repo root: `vite build --config playground/vite.config.ts`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** Vite config: everything (monaco workers, fonts, CSS) is bundled; nothing comes from a CDN. */
export default defineConfig({
  root: here('.'),
  base: '/playground/',
  publicDir: false,
  // No @vitejs/plugin-react: esbuild's automatic JSX runtime is all we need.
  esbuild: { jsx: 'automatic' },
  // Monaco's language workers use dynamic imports, which need ES-module workers.
  worker: { format: 'es' },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    // Monaco alone is several MB; the playground is a dev tool, so don't warn about it.
    chunkSizeWarningLimit: 5000,
    rollupOptions: {
      // Silence the harmless "use client" directive notices from React libraries.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
