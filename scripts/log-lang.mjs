// The language of the build lines before the server starts: PANTAU_LANG from the environment, else
// from `.env` in the working folder (as the server reads it), else Indonesian — like the start log.
import fs from 'node:fs';
import path from 'node:path';

/** 'id' or 'en'. */
export function logLang() {
  let value = process.env.PANTAU_LANG;
  if (value === undefined) {
    try {
      const text = fs.readFileSync(path.join(process.cwd(), '.env'), 'utf8');
      value = /^\s*(?:export\s+)?PANTAU_LANG\s*=\s*["']?([A-Za-z]+)/m.exec(text)?.[1];
    } catch {
      // No .env: the default.
    }
  }
  return value?.trim().toLowerCase() === 'en' ? 'en' : 'id';
}
