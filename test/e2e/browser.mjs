// Debian's Chromium driven by playwright-core (no browser download). The flags keep a headless
// Chromium from phoning home on a machine whose only network is the npm registry and apt.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { cacheDir } from './paths.mjs';
import { logger } from './log.mjs';

const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Launches Chromium with a throwaway profile. Returns { page, context, profileDir, shot(name), close() };
 * `shot` saves a screenshot into `artifactsDir`, `close` also writes the page's console log there.
 * `args` adds Chromium flags (e.g. --enable-precise-memory-info for performance.memory).
 */
export async function launchBrowser({ artifactsDir, viewport = { width: 1600, height: 1000 }, args = [] }) {
  const log = logger('browser');
  fs.mkdirSync(artifactsDir, { recursive: true });
  const tmp = path.join(cacheDir, 'tmp');
  fs.mkdirSync(tmp, { recursive: true });
  const profileDir = fs.mkdtempSync(path.join(tmp, 'chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport,
    args: [...CHROMIUM_FLAGS, ...args],
    // Chromium's crashpad and dconf files go into the throwaway profile, not the home directory.
    env: { ...process.env, XDG_CONFIG_HOME: path.join(profileDir, 'xdg-config'), XDG_CACHE_HOME: path.join(profileDir, 'xdg-cache') },
  });
  const page = context.pages()[0] ?? await context.newPage();
  const consoleLines = [];
  page.on('console', m => consoleLines.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', e => consoleLines.push(`[pageerror] ${e.message}`));
  return {
    context,
    page,
    profileDir,
    consoleLines,
    async shot(name) {
      const file = path.join(artifactsDir, name);
      await page.screenshot({ path: file });
      log.info(`screenshot ${path.relative(process.cwd(), file)}`);
      return file;
    },
    async close() {
      fs.writeFileSync(path.join(artifactsDir, 'browser-console.log'), consoleLines.join('\n') + '\n');
      await context.close().catch(() => {});
      fs.rmSync(profileDir, { recursive: true, force: true });
    },
  };
}
