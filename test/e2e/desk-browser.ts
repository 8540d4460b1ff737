// What the desk's browser tests share: logging in through the form, moving between pages, and the
// axe-core check (no serious or critical violation; lesser findings are collected and printed).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

const AXE_SOURCE = readFileSync(path.resolve(__dirname, '..', '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** Logs in through the dashboard's form (the demo password by default). */
export async function loginAs(page: Page, baseUrl: string, email: string, password = 'pantau-demo'): Promise<void> {
  await page.goto(`${baseUrl}/dashboard/`);
  await page.fill('#login-email', email);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
}

/** Moves to a desk page by its hash, as a link would. */
export async function goTo(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
}

interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** axe-core on the page as it is: fails on a serious or critical violation, records the others in `findings`. */
export async function checkAxe(page: Page, name: string, findings: string[]): Promise<void> {
  // Evaluated through the devtools protocol: the page's CSP (script-src 'self') forbids an inline <script>.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const result: AxeViolation[] = await page.evaluate(async () => {
    const r = await (
      window as unknown as {
        axe: {
          run(
            ctx: Document,
            opts: object,
          ): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  });
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of result) if (!bad.includes(v)) findings.push(`${name}: ${v.impact} ${v.id} (${v.help}) ${v.targets.join(', ')}`);
  expect(bad, `${name}: ${JSON.stringify(bad, null, 1)}`).toEqual([]);
}

/** The desk's two sizes: a laptop and a phone. */
export const DESK_SIZES = [
  [1366, 768],
  [390, 844],
] as const;
