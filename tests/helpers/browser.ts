// Headless Chromium for the page tests: Debian's `chromium` (apt-get install chromium; .ci/run installs it),
// driven by playwright-core, started without any background networking so that the only requests a page makes
// are its own. AUDIOMILL_CHROMIUM names another binary.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.AUDIOMILL_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`the page tests need Chromium at ${CHROMIUM}: install it (Debian: sudo apt-get install chromium) or set AUDIOMILL_CHROMIUM`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic', '--autoplay-policy=no-user-gesture-required'],
  });
}

/** What a page printed and asked for while a test used it: console errors, page errors, requests outside `allowed`. */
export function watch(page: Page, allowed: (url: string) => boolean): { errors: string[]; requests: string[] } {
  const seen = { errors: [] as string[], requests: [] as string[] };
  page.on('console', (m) => {
    if (m.type() === 'error') seen.errors.push(m.text());
  });
  page.on('pageerror', (e) => seen.errors.push(e.message));
  page.on('request', (r) => {
    if (!allowed(r.url())) seen.requests.push(r.url());
  });
  return seen;
}
