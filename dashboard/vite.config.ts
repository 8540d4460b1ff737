// Vite build for the meeting-room screen served by the API at /dashboard/.
// Run from the repo root: `vite build --config dashboard/vite.config.ts`.
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** The kiosk's initial JavaScript (entry and its static imports), gzipped, may not exceed this. */
export const BUDGET_GZIP_BYTES = 100 * 1024;

/**
 * After the build: sums the gzipped size of the JavaScript a kiosk loads first (the entry chunk and
 * every chunk it imports statically, and the service worker in public/; lazily loaded chunks don't
 * count), prints it, and fails the build over `BUDGET_GZIP_BYTES`.
 */
function bundleBudget(): Plugin {
  return {
    name: 'pantau-bundle-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map(Object.values(bundle).flatMap((o) => (o.type === 'chunk' ? [[o.fileName, o] as const] : [])));
      const initial = new Set<string>();
      const visit = (name: string): void => {
        if (initial.has(name)) return;
        initial.add(name);
        for (const dep of chunks.get(name)?.imports ?? []) visit(dep);
      };
      for (const chunk of chunks.values()) if (chunk.isEntry) visit(chunk.fileName);
      const files: [string, string][] = [...initial].map((name) => [name, chunks.get(name)?.code ?? '']);
      const publicDir = here('public');
      for (const name of fs.existsSync(publicDir) ? fs.readdirSync(publicDir) : []) {
        if (name.endsWith('.js')) files.push([name, fs.readFileSync(path.join(publicDir, name), 'utf8')]);
      }
      let total = 0;
      const parts: string[] = [];
      for (const [name, code] of files) {
        const size = gzipSync(code, { level: 9 }).length;
        total += size;
        parts.push(`${name} ${(size / 1024).toFixed(1)} KB`);
      }
      const kb = (total / 1024).toFixed(1);
      const budget = BUDGET_GZIP_BYTES / 1024;
      // In the start log's language (PANTAU_LANG, default Indonesian).
      const en = process.env['PANTAU_LANG']?.trim().toLowerCase() === 'en';
      const line = en
        ? `[pantau] Dashboard JavaScript (initial, gzipped): ${kb} KB of ${budget} KB budget (${parts.join(', ')})`
        : `[pantau] JavaScript layar rapat (awal, gzip): ${kb} KB dari anggaran ${budget} KB (${parts.join(', ')})`;
      console.log(line);
      if (total > BUDGET_GZIP_BYTES) this.error(`${line}: ${en ? 'over budget' : 'melebihi anggaran'}`);
    },
  };
}

/**
 * Writes `asset-list.json`: every file of this build under assets/ (the desk's lazily loaded chunks
 * too). The service worker keeps what a page loaded from this list and forgets the rest.
 */
function assetList(): Plugin {
  return {
    name: 'pantau-asset-list',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle)
        .filter((name) => name.startsWith('assets/'))
        .sort();
      this.emitFile({ type: 'asset', fileName: 'asset-list.json', source: JSON.stringify(files) });
    },
  };
}

/** Vite config: Preact, uPlot and graphql-ws are bundled; no fonts or scripts from other hosts. */
export default defineConfig({
  root: here('.'),
  // Relative URLs, so the screen also works behind a path prefix (PUBLIC_URL=https://host/pantau).
  base: './',
  // public/sw.js: the service worker that keeps the page for a TV restarting while offline.
  publicDir: here('public'),
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  plugins: [bundleBudget(), assetList()],
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2020',
    // No inline <script>: the page CSP allows only 'self' scripts. Small assets may be data: URLs.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 4096,
  },
});
