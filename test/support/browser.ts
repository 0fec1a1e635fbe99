// Headless Debian Chromium driven by playwright-core (no browser download of its own): the flags this machine
// needs (as root: --no-sandbox; a closed network: no background networking), screenshots under test-results/.
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM = process.env.JOBFLOW_CHROMIUM ?? "/usr/bin/chromium";
export const SCREENSHOTS = resolve(__dirname, "..", "..", "test-results", "console");

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Writes test-results/console/<name>.png (a CI artifact); returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
