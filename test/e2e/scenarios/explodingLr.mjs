// The exploding-learning-rate scenario, as a user meets it: an experiment with a learning rate of 1e6. Press ▶ Train;
// the run stops by itself; the Problems panel shows why, on the `lr` key, with the step; the quick fix
// (Ctrl+.) divides the learning rate by 10 and the file changes.
import fs from 'node:fs';
import path from 'node:path';
import { findWebviewFrame, openFromExplorer, problems } from '../workbench.mjs';
import { logger } from '../log.mjs';

const FILE = 'exploding.experiment.json';
const TEXT = `// Too large a learning rate: watch Trainscope stop the run and say why.
{
  "name": "Exploding",
  "data": { "type": "spiral", "samples": 300 },
  "model": [{ "type": "linear", "out_features": 32 }, "relu", { "type": "linear" }],
  "optimizer": { "type": "sgd", "lr": 1000000 },
  "training": { "epochs": 20, "batch_size": 32 }
}
`;
const LR_LINE = TEXT.split('\n').findIndex(l => l.includes('"lr"')) + 1;
const log = logger('e2e:exploding');

/** Writes the experiment into the workspace before the workbench opens. */
export function prepareExplodingExperiment(workspace) {
  fs.writeFileSync(path.join(workspace, FILE), TEXT);
}

export async function explodingLrScenario({ page, shot, check }) {
  // Clicking the Explorer icon while it is open would close the side bar.
  if (!(await page.locator('.explorer-folders-view').isVisible())) {
    await page.locator('.activitybar .action-item a[aria-label^="Explorer"]').click();
  }
  await openFromExplorer(page, FILE);
  // Several editors are open: the lens must be the one in the exploding experiment's editor.
  const editor = page.locator('.editor-instance', { has: page.locator('.view-line', { hasText: '"Exploding"' }) }).first();
  const lens = editor.locator('.codelens-decoration a').filter({ hasText: /^\u25B6 Train$/ }).first();
  await lens.waitFor({ timeout: 30_000 });
  await lens.click();
  log.info('clicked ▶ Train on the exploding experiment');

  let status = '';
  try {
    const panel = await findWebviewFrame(page, () => document.body?.dataset.view === 'panel' && document.getElementById('run-title')?.textContent === 'Exploding', { timeoutMs: 30_000 });
    status = await panel.waitForFunction(
      () => ['completed', 'stopped', 'failed'].includes(document.body.dataset.status ?? '') && document.body.dataset.status,
      null, { timeout: 60_000, polling: 250 },
    ).then(h => h.jsonValue());
  } catch (e) {
    log.info(`no finished run panel: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
  }
  check(status === 'failed', 'the run stopped by itself (failed) instead of training on', `status "${status}"`);
  await shot('10-exploding-stopped.png');

  let marker;
  for (let i = 0; i < 40 && !marker; i++) {
    await page.waitForTimeout(250);
    marker = (await problems(page, FILE)).find(m => m.file === FILE && m.severity === 'error' && /learning rate/i.test(m.message));
  }
  check(!!marker, 'the Problems panel explains it, blaming the learning rate', marker ? marker.message : 'no such problem');
  if (marker) {
    check(new RegExp(`Ln ${LR_LINE},`).test(marker.line), `it is on the lr key (line ${LR_LINE})`, marker.line);
    check(/step \d+/.test(marker.message), 'it says at which step it fired', marker.message);
  }
  await shot('11-exploding-problem.png');

  // The quick fix: put the cursor on the lr value, Ctrl+. and pick the fix.
  const value = editor.locator('.view-line span span', { hasText: /^1000000$/ }).first();
  await value.click();
  await page.keyboard.press('Control+.');
  const item = page.locator('.action-widget .monaco-list-row', { hasText: /learning rate/i }).first();
  const offered = await item.waitFor({ timeout: 15_000 }).then(() => true, () => false);
  check(offered, 'Ctrl+. offers the quick fix', offered ? await item.innerText() : 'no action');
  if (offered) {
    // The fix is the preferred action, so the menu opens with it selected: Enter applies it (a click
    // on the row can be swallowed by the menu's hover handling).
    if (!(await item.evaluate(row => row.classList.contains('focused')))) { await item.hover(); }
    await page.keyboard.press('Enter');
    const changed = await editor.locator('.view-line', { hasText: '"lr": 100000 ' }).first()
      .waitFor({ timeout: 15_000 }).then(() => true, () => false);
    check(changed, 'the quick fix changed the file: lr 1000000 → 100000');
  }
  await shot('12-exploding-fixed.png');
}
