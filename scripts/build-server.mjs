// Compiles the server (tsc) only when its sources changed since the last build: the newest
// modification time under server/, scripts/, bench/ and test/helpers/ (what tsconfig.json
// includes), tsconfig.json and package-lock.json against a stamp in dist/. With `--force`
// (`npm run build`, `npm run build:server`) it always compiles; either way it writes the stamp, so
// `npm start` after `npm run build` does not compile again. `--dry-run` only says whether it would
// compile. Its line speaks the start log's language (PANTAU_LANG, from the environment or .env).
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { logLang } from './log-lang.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'dist', '.build-stamp');

/** The newest modification time under `target` (a file or a folder), leaving out build output and node_modules. */
function newest(target) {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    latest = Math.max(latest, newest(path.join(target, entry.name)));
  }
  return latest;
}

const sources = ['server', 'scripts', 'bench', path.join('test', 'helpers'), 'tsconfig.json', 'package-lock.json'];
const latest = Math.max(...sources.map((s) => newest(path.join(root, s))));
const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
const force = process.argv.includes('--force');
if (force || built < latest || !fs.existsSync(path.join(root, 'dist', 'server', 'main.js'))) {
  console.log(logLang() === 'en' ? '[pantau] Compiling the server (tsc)…' : '[pantau] Mengompilasi server (tsc)…');
  if (process.argv.includes('--dry-run')) process.exit(0);
  const started = Date.now();
  execSync('npx tsc -p .', { cwd: root, stdio: 'inherit' });
  // The stamp takes the time compiling started: a source saved during the build is newer, and compiles next time.
  fs.writeFileSync(stamp, `${new Date(started).toISOString()}\n`);
  fs.utimesSync(stamp, new Date(started), new Date(started));
}
