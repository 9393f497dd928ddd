// Runs an extension's test suite inside code-server's (remote, Node) extension host — what
// @vscode/test-electron does with --extensionDevelopmentPath/--extensionTestsPath for desktop VS Code.
// code-server refuses those flags on its command line, but the workbench accepts them in the URL's
// `payload`, and reports the suite's result by calling window.codeAutomationExit(code).
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { launchBrowser } from './browser.mjs';
import { remoteUri, workbenchUrl } from './workbench.mjs';
import { logger, seconds } from './log.mjs';

const log = logger('ext-tests');

/** Workbench start-up messages that say nothing about the tests. */
const ROUTINE_WORKBENCH_LINES = [
  /^Resolv(ing|ed) connection token/, /^Creating a socket/, /^\[Service Worker\]/,
  /^Ignoring fetching additional builtin extensions/, /^Updating additional builtin extensions cache/,
  /^ChatSessionStore:/,
];

/**
 * Opens `workspace` in the workbench of the running `server` with the extension at
 * `extensionDevelopmentPath` under development and the suite at `extensionTestsPath`
 * (a folder whose index.js exports run()). Echoes the extension host's output and resolves to
 * the exit code VS Code reports (0 = all passed), or 'timeout'.
 */
export async function runExtensionTests({ server, workspace, extensionDevelopmentPath, extensionTestsPath, artifactsDir, timeoutMs = 300_000 }) {
  const browser = await launchBrowser({ artifactsDir, viewport: { width: 1400, height: 900 } });
  const { page } = browser;
  const t = Date.now();
  const hostLog = fs.createWriteStream(path.join(artifactsDir, 'extension-host.log'));
  try {
    let reportExit;
    const exited = new Promise(resolve => { reportExit = resolve; });
    await page.exposeFunction('codeAutomationExit', (code) => reportExit(code));
    // The extension host's console (mocha's spec reporter among it) and the workbench's own log
    // arrive here as printf-style arguments. All of it goes to a file; the console gets all but
    // the workbench's routine start-up chatter.
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = util.format(...(args ?? []));
      hostLog.write(`[${type}] ${text}\n`);
      if (ROUTINE_WORKBENCH_LINES.some(re => re.test(text))) { return; }
      if (type === 'error') { console.error(text); } else { console.log(text); }
    });
    const url = workbenchUrl(server.url, workspace, [
      ['extensionDevelopmentPath', remoteUri(server.url, path.resolve(extensionDevelopmentPath))],
      ['extensionTestsPath', remoteUri(server.url, path.resolve(extensionTestsPath))],
    ]);
    log.info(`opening ${url}`);
    await page.goto(url);
    let timer;
    const code = await Promise.race([exited, new Promise(r => { timer = setTimeout(() => r('timeout'), timeoutMs); })]);
    clearTimeout(timer);
    await browser.shot('workbench-after-tests.png').catch(() => {});
    log.info(`extension host finished with exit code ${code} after ${seconds(t)}s`);
    return code;
  } finally {
    hostLog.end();
    await browser.close();
  }
}
