// Debian's chromium driven by playwright-core, launched the same way by every browser test (chromium: see
// README.md's browser note), and the folder its screenshots go to.
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startStack, type Stack, type StackOptions } from './stack';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
// In CI a missing chromium is a failure, not a skip: the browser tests must run there (.ci/run installs it).
const mustRun = Boolean(process.env['CI']);

/** For `describe.skipIf`: only on a developer machine without chromium, and it says so. */
export const skipBrowserTests = !haveChromium && !mustRun;
if (skipBrowserTests) {
  console.warn(`[browser test skipped] ${CHROMIUM} is missing: install it with \`apt-get install -y chromium\` (.ci/run does).`);
}

export async function launchChromium(): Promise<Browser> {
  if (!haveChromium) throw new Error(`${CHROMIUM} is missing, and CI is set: the browser test must run in CI (.ci/run installs chromium)`);
  // Generous: chromium's first start on a busy 2-core machine (the rest of the suite runs beside it) has taken
  // longer than the default hook timeout.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 60_000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
}

/** test-artifacts/browser/<name>/ (git-ignored), created. */
export function artifactsDir(name: string): string {
  const dir = fileURLToPath(new URL(`../../test-artifacts/browser/${name}/`, import.meta.url));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Chromium and a server + sandbox stack for the tests of one describe block, started once and closed after them. */
export function useBrowserAndStack(options?: StackOptions): { readonly browser: Browser; readonly stack: Stack } {
  let browser: Browser | undefined;
  let stack: Stack | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
    stack = await startStack(options);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });
  return {
    get browser() {
      return browser!;
    },
    get stack() {
      return stack!;
    },
  };
}

/** A fresh browser context and page for `run`; on failure the page is kept as `failure.png` in `artifacts`. */
export async function inPage(browser: Browser, options: { artifacts: string; width: number; height: number }, run: (page: Page) => Promise<void>): Promise<void> {
  const context = await browser.newContext({ viewport: { width: options.width, height: options.height } });
  const page = await context.newPage();
  try {
    await run(page);
  } catch (error) {
    await page.screenshot({ path: `${options.artifacts}failure.png`, fullPage: true }).catch(() => undefined);
    throw error;
  } finally {
    await context.close();
  }
}
