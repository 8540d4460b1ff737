// Builds the browser clients (the playground and the meeting-room dashboard, both Vite) only when
// their sources or the lock file are newer than their last build, so `npm start` and `npm test`
// stay quick after the first run. `npm run build:playground` / `build:dashboard` always rebuild.
// The dashboard build prints its gzipped JavaScript size and fails over budget (dashboard/vite.config.ts).
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { logLang } from './log-lang.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lock = fs.statSync(path.join(root, 'package-lock.json')).mtimeMs;

/** The newest modification time under `dir`, leaving out build output and node_modules. */
function newest(dir) {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
  }
  return latest;
}

const lang = logLang();
for (const [client, label] of [
  ['playground', lang === 'en' ? 'the playground' : 'playground'],
  ['dashboard', lang === 'en' ? 'the dashboard' : 'layar rapat (dashboard)'],
]) {
  const dist = path.join(root, client, 'dist', 'index.html');
  const built = fs.existsSync(dist) ? fs.statSync(dist).mtimeMs : 0;
  if (built >= Math.max(newest(path.join(root, client)), lock)) continue;
  console.log(lang === 'en' ? `[pantau] Building ${label} (vite)…` : `[pantau] Membangun ${label} (vite)…`);
  // The dashboard's size line speaks the same language.
  execSync(`npx vite build --config ${client}/vite.config.ts --logLevel warn`, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PANTAU_LANG: lang },
  });
}
