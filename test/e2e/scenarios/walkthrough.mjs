// A student starts the course's recipe from VS Code's walkthrough, as the Welcome page offers it:
// open "Babysit a network", press its "Open the Recipe" button, see the experiment open from the
// workspace copy, press ▶ Train above it and read the first loss against ln(10) in the run panel.
import fs from 'node:fs';
import path from 'node:path';
import { closeAllEditors, isPanelOf, runCommand, sleep } from '../liveRun.mjs';
import { findWebviewFrame, shows } from '../workbench.mjs';

const TITLE = 'Babysitting the learning process';

export async function walkthroughScenario({ page, workspace, check, shot }) {
  await closeAllEditors(page);
  await runCommand(page, 'Welcome: Open Walkthrough...');
  const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Babysit a network' }).first();
  check(await shows(pick, 10_000), 'the walkthrough "Babysit a network" is offered among the walkthroughs');
  await pick.click();
  const steps = page.locator('.gettingStartedContainer .getting-started-step');
  await steps.first().waitFor({ timeout: 15_000 });
  const titles = await steps.locator('.step-title').allTextContents();
  check(
    ['Get the recipe', 'Check the first loss', 'Overfit 20 images', 'Find the learning rate', 'Search coarse → fine'].every(t => titles.includes(t)),
    'the walkthrough lists the recipe\'s steps', titles.join(' | '),
  );
  await sleep(500);
  await shot('50-walkthrough.png');

  const button = page.locator('.gettingStartedContainer .getting-started-step.expanded a.monaco-button, .gettingStartedContainer .getting-started-step.expanded .monaco-button', { hasText: 'Open the Recipe' }).first();
  check(await shows(button, 10_000), 'its first step has an "Open the Recipe" button');
  await button.click();
  const copy = path.join(workspace, 'trainscope-recipe', 'babysitting.experiment.json');
  const editor = page.locator('.editor-instance', { has: page.locator('.view-line', { hasText: `"${TITLE}"` }) }).first();
  check(await shows(editor, 20_000), 'the recipe opens in an editor');
  check(fs.existsSync(copy) && fs.existsSync(path.join(workspace, 'trainscope-recipe', 'data', 'fashion-mnist-slice', 'train-images-idx3-ubyte.gz')),
    'the recipe and its data are copied into the workspace (trainscope-recipe/)');

  const lens = editor.locator('.codelens-decoration a').filter({ hasText: /^\u25B6 Train$/ }).first();
  check(await shows(lens, 30_000), 'the recipe has its ▶ Train lens');
  await lens.click();
  const panel = await findWebviewFrame(page, isPanelOf(TITLE), { timeoutMs: 30_000 });
  const firstLoss = await panel.waitForFunction(() => {
    const stat = document.querySelector('[data-stat="first-loss"]');
    const text = stat && `${stat.querySelector('.stat-label')?.textContent} ${stat.querySelector('.stat-value')?.textContent}`;
    return text && /\(\d\.\d\d×\)$/.test(text) ? text : false;
  }, null, { timeout: 60_000, polling: 250 }).then(h => h.jsonValue(), () => '');
  check(/^First loss \(ln 10 = 2\.303\) 2\.30\d\d \(1\.00×\)$/.test(firstLoss), 'the run panel shows the first loss at ln(10), 1.00×', firstLoss || 'no first-loss number');
  await panel.waitForFunction(() => ['completed', 'failed', 'stopped'].includes(document.body.dataset.status ?? ''), null, { timeout: 120_000, polling: 500 }).catch(() => {});
  await sleep(500);
  await shot('51-recipe-trained.png');
  await closeAllEditors(page);
}
