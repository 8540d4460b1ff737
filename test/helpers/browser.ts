// One Chromium per vitest worker. A worker runs its files one after another in one process
// (isolate: false keeps the module cache, so this module and its browser live as long as the
// worker): the first browser test file launches Chromium, the next ones reuse it, and each test
// opens its own context (fresh storage, cookies, viewport). playwright-core kills the browser when
// the worker process exits.
import { chromium, type Browser } from 'playwright-core';

/** Where the tests find Chromium. */
export const CHROMIUM = '/usr/bin/chromium';
/** The flags Chromium is started with. */
export const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

let launched: Promise<Browser> | null = null;

/** This worker's Chromium: launched on the first call, launched again if it went away. */
export async function sharedBrowser(): Promise<Browser> {
  if (launched) {
    const browser = await launched.catch(() => null);
    if (browser?.isConnected()) return browser;
  }
  launched = chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
  return launched;
}

/**
 * Ends a test file's use of the shared browser: closes the contexts it left open (a failed test
 * may skip its own `context.close()`), so the next file starts with none. The browser stays up.
 */
export async function releaseBrowser(): Promise<void> {
  const browser = await launched?.catch(() => null);
  if (!browser?.isConnected()) return;
  await Promise.all(browser.contexts().map((context) => context.close().catch(() => {})));
}
