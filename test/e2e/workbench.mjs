// Talking to the VS Code web workbench the way a person would: by URL, Explorer, editor, panels.
// Selectors are VS Code 1.100's DOM.

/** The workbench URL opening `folder`; `payload` is VS Code's list of [key, value] launch options. */
export function workbenchUrl(baseUrl, folder, payload) {
  // Slashes may stay as they are in a query; the URL stays readable when printed.
  let url = `${baseUrl}/?folder=${encodeURIComponent(folder).replace(/%2F/g, '/')}`;
  if (payload) { url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`; }
  return url;
}

/** code-server's remote authority is the page's host:port; remote paths are vscode-remote URIs. */
export function remoteUri(baseUrl, absPath) {
  return `vscode-remote://${new URL(baseUrl).host}${absPath}`;
}

/** Opens the workbench and waits until the Explorer lists `expectFile` (the remote file system is up). */
export async function openWorkbench(page, url, expectFile) {
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  if (expectFile) { await explorerRow(page, expectFile).waitFor({ timeout: 60_000 }); }
}

export function explorerRow(page, fileName) {
  return page.locator('.explorer-folders-view .monaco-list-row', { hasText: fileName });
}

/** Clicks a file in the Explorer and waits for its editor tab. */
export async function openFromExplorer(page, fileName) {
  await explorerRow(page, fileName).click();
  await page.locator('.tabs-container .tab', { hasText: fileName }).waitFor({ timeout: 30_000 });
}

/** The activity-bar item (left edge) of a view container, by its title. */
export function activityBarItem(page, title) {
  return page.locator(`.activitybar .action-item a[aria-label^="${title}"]`);
}

/** Resolves true once `locator` is visible, false after `timeout` ms (its own success is the check). */
export function shows(locator, timeout) {
  return locator.waitFor({ state: 'visible', timeout }).then(() => true, () => false);
}

/** The code lens with exactly this title in the visible editor. */
export function codeLens(page, title) {
  return page.locator('.monaco-editor .codelens-decoration a').filter({ hasText: new RegExp(`^${escapeRegExp(title)}$`) });
}

/**
 * Finds the webview content frame for which `predicate` (run inside the frame) returns true.
 * A webview is two nested iframes (`iframe.webview` → `#active-frame`) and several webviews may
 * exist at once, so every frame of the page is asked.
 */
export async function findWebviewFrame(page, predicate, { timeoutMs = 30_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) { continue; }
      const ok = await frame.evaluate(predicate).catch(() => false);
      if (ok) { return frame; }
    }
    await page.waitForTimeout(100);
  }
  throw new Error(`no webview frame matched within ${timeoutMs / 1000}s`);
}

/**
 * Opens the Problems panel and returns its markers as
 * [{ file, severity: 'error'|'warning'|'info', message, source, code, line }].
 * The panel is a tree: a row per file (aria-level 1), its markers below it (aria-level 2). Its list
 * is virtual — rows scrolled out of view are not in the page — so with `file` the panel's filter
 * shows that file's markers alone.
 */
export async function problems(page, file) {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible().catch(() => false))) {
    await page.locator('[id="status.problems"]').click();
    await panel.waitFor({ timeout: 15_000 });
  }
  const filter = page.getByPlaceholder(/^Filter \(e\.g\./).first();
  const wanted = file ? `**/${file}` : '';
  if ((await filter.inputValue().catch(() => '')) !== wanted) await filter.fill(wanted).catch(() => {});
  await page.waitForTimeout(500); // markers render asynchronously after the panel opens or filters
  return panel.locator('.monaco-list-row').evaluateAll(rows => {
    const text = (row, sel) => row.querySelector(sel)?.textContent?.trim() ?? '';
    const markers = [];
    let file = '';
    for (const row of rows) {
      if (row.getAttribute('aria-level') === '1') {
        file = text(row, '.label-name');
        continue;
      }
      const icon = row.querySelector('.marker-icon');
      markers.push({
        file,
        severity: ['error', 'warning', 'info'].find(s => icon?.classList.contains(s)) ?? 'unknown',
        message: text(row, '.marker-message'),
        source: text(row, '.marker-source'),
        code: text(row, '.marker-code'),
        line: text(row, '.marker-line'),
      });
    }
    return markers;
  });
}

function escapeRegExp(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }
