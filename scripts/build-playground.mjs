// Builds the playground (Vite) only when its sources are newer than the last build, so `npm start`
// and `npm test` stay quick after the first run. `npm run build:playground` always rebuilds.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'playground', 'dist', 'index.html');

function newest(dir) {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
  }
  return latest;
}

const built = fs.existsSync(dist) ? fs.statSync(dist).mtimeMs : 0;
const sources = Math.max(newest(path.join(root, 'playground')), fs.statSync(path.join(root, 'package-lock.json')).mtimeMs);
if (built < sources) {
  console.log('[pantau] Building the playground (vite)…');
  execSync('npx vite build --config playground/vite.config.ts --logLevel warn', { cwd: root, stdio: 'inherit' });
}
