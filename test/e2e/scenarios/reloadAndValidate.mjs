// After the first run (scenarios/train.mjs), two things a user relies on:
//  1. Nothing is lost on a window reload: the run panel comes back, restored from the run's folder,
//     with the finished run and its curves.
//  2. A mistake typed into the experiment is flagged at once, at that key, in the Problems panel,
//     with the valid choices; undoing it clears the problem.
import { findWebviewFrame, problems } from '../workbench.mjs';
import { reloadWindow } from '../liveRun.mjs';
import { logger } from '../log.mjs';

const EXPERIMENT = 'spiral.experiment.json';
const log = logger('e2e:reload');

function runPanelState() {
  if (document.body?.dataset.view !== 'panel' || !document.querySelector('canvas#loss-chart')) { return false; }
  return { status: document.body.dataset.status, steps: Number(document.body.dataset.steps ?? 0), title: document.getElementById('run-title')?.textContent };
}

export async function reloadAndValidateScenario({ page, shot, check }) {
  // 1. Reload the window: the workbench restores its editors, the run panel among them.
  await reloadWindow(page);
  log.info('window reloaded');
  const tab = page.locator('.tabs-container .tab', { hasText: 'Spiral MLP' });
  check(await tab.waitFor({ timeout: 30_000 }).then(() => true, () => false), 'after a reload the run panel is back among the editors');
  await tab.click().catch(() => {});
  let restored;
  try {
    const frame = await findWebviewFrame(page, () => {
      const b = document.body;
      return b?.dataset.view === 'panel' && !!document.querySelector('canvas#loss-chart') && b.dataset.status === 'completed';
    }, { timeoutMs: 30_000 });
    restored = await frame.evaluate(runPanelState);
  } catch {
    restored = undefined;
  }
  check(restored?.status === 'completed' && restored.steps > 0, 'the restored panel shows the finished run from its folder',
    restored ? `status ${restored.status}, ${restored.steps} steps, "${restored.title}"` : 'no run panel');
  await shot('07-after-reload.png');

  // The Trainscope side panel: the active-run view shows the newest kept run, the Runs view lists it.
  await page.locator('.activitybar .action-item a[aria-label^="Trainscope"]').click();
  let sidebar;
  try {
    const frame = await findWebviewFrame(page, () => document.body?.dataset.view === 'sidebar' && document.body.dataset.status === 'completed', { timeoutMs: 30_000 });
    sidebar = await frame.evaluate(() => ({ title: document.getElementById('run-title')?.textContent, charts: document.querySelectorAll('canvas').length }));
  } catch {
    sidebar = undefined;
  }
  check(!!sidebar && sidebar.charts > 0, 'the Trainscope side panel shows the newest run with its charts', sidebar ? `"${sidebar.title}", ${sidebar.charts} charts` : 'no side-panel dashboard');
  const runRow = page.locator('.pane-body .monaco-list-row', { hasText: 'Spiral MLP' }).first();
  check(await runRow.waitFor({ timeout: 15_000 }).then(() => true, () => false), 'the Runs view lists the run');
  await shot('09-side-panel.png');

  // The experiment's code lens still tells how its last run ended.
  await page.locator('.activitybar .action-item a[aria-label^="Explorer"]').click();
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: EXPERIMENT }).click();
  const outcome = page.locator('.monaco-editor .codelens-decoration a').filter({ hasText: /^✓ completed: val loss/ }).first();
  const outcomeShown = await outcome.waitFor({ timeout: 30_000 }).then(() => true, () => false);
  check(outcomeShown, 'after the reload the code lens shows the last run\'s outcome', outcomeShown ? await outcome.textContent() : 'not shown');

  // 2. Make a typo in the optimizer's type, as a user would: double-click the word, type over it.
  const editor = page.locator('.editor-instance .monaco-editor').filter({ has: page.locator('.view-line', { hasText: '"optimizer"' }) }).first();
  await editor.waitFor({ timeout: 30_000 });
  const word = editor.locator('.view-line span span', { hasText: /^"sgd"$/ }).first();
  await word.waitFor({ timeout: 15_000 });
  const box = await word.boundingBox();
  // The middle of the token, not its quotes: a double-click there selects the word sgd.
  await page.mouse.dblclick(box.x + box.width / 2, box.y + box.height / 2);
  await page.keyboard.type('sgdd');
  log.info('typed "sgdd" over "sgd"');
  let flagged;
  for (let i = 0; i < 30 && !flagged; i++) {
    await page.waitForTimeout(300);
    flagged = (await problems(page, EXPERIMENT)).find(m => m.file === EXPERIMENT && m.severity === 'error' && m.message.includes("'sgdd'"));
  }
  check(!!flagged, 'the typo is flagged in the Problems panel as an error of the experiment file', flagged ? `${flagged.message} ${flagged.line}` : 'not found');
  if (flagged) {
    check(/did you mean 'sgd'/.test(flagged.message) && /expected one of: sgd,.*\badam\b/.test(flagged.message), 'the message lists the valid optimizers and suggests the nearest', flagged.message);
    check(/Ln 26, Col 26/.test(flagged.line), 'it points at the optimizer type on line 26', flagged.line);
  }
  check(await editor.locator('.squiggly-error').count() > 0, 'a red squiggle marks the key in the editor');
  // One mistake, one problem: the JSON Schema (completion and hovers) does not report it a second time.
  const ofFile = (await problems(page, EXPERIMENT)).filter(m => m.file === EXPERIMENT);
  check(ofFile.length === 1 && ofFile[0].source.includes('Trainscope'), 'the typo is the file\'s only problem (no second report from the JSON language)',
    JSON.stringify(ofFile.map(m => `${m.source}: ${m.message}`)));
  await shot('08-typo-flagged.png');

  // "did you mean" is a quick fix that changes only the misspelt word. Reading the Problems panel
  // moved the focus into its filter box: click back into the word first.
  const typed = editor.locator('.view-line span span', { hasText: /^"sgdd"$/ }).first();
  await typed.click();
  await page.keyboard.press('Control+.');
  const item = page.locator('.action-widget .monaco-list-row', { hasText: "Change to 'sgd'" }).first();
  const offered = await item.waitFor({ timeout: 15_000 }).then(() => true, () => false);
  check(offered, "Ctrl+. offers \"Change to 'sgd'\"", offered ? await item.innerText() : 'no action');
  if (offered) {
    if (!(await item.evaluate(row => row.classList.contains('focused')))) await item.hover();
    await page.keyboard.press('Enter');
  } else {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Z');
  }
  let cleared = false;
  for (let i = 0; i < 30 && !cleared; i++) {
    await page.waitForTimeout(300);
    cleared = !(await problems(page, EXPERIMENT)).some(m => m.file === EXPERIMENT && m.severity === 'error');
  }
  check(cleared, 'the quick fix clears the problem');
  const fixedLine = await editor.locator('.view-line', { hasText: '"optimizer"' }).first().innerText().catch(() => '');
  check(/"type":\s*"sgd",\s*"lr": 0\.1, "momentum": 0\.9 \}/.test(fixedLine.replace(/\u00a0/g, ' ')), 'only the word changed; the line keeps its layout', fixedLine);

  // Completion and hovers still come from the schema: hover the optimizer's "type" key.
  const typeKey = editor.locator('.view-line', { hasText: '"optimizer"' }).first().locator('span span', { hasText: /^"lr"$/ }).first();
  await typeKey.hover();
  const hover = page.locator('.monaco-hover-content').filter({ hasText: /learning rate/i }).first();
  const hovered = await hover.waitFor({ timeout: 10_000 }).then(() => true, () => false);
  check(hovered, 'hovering "lr" shows its documentation from the schema', hovered ? (await hover.innerText()).slice(0, 120) : 'no hover');
  await shot('08b-hover.png');
  await page.keyboard.press('Escape');
}
