// A student's experiment names two files that cannot be read: its images lie outside the workspace,
// its labels (a Fashion-MNIST file) are not there yet. Press ▶ Train: ONE notification says the
// first problem and that there is one more, offering to copy Fashion-MNIST in; the Problems panel
// holds both, each at its key. The copy brings the labels; Train again and only the outside path is
// left.
import fs from 'node:fs';
import path from 'node:path';
import { openFromExplorer, openWorkbench, problems, workbenchUrl } from '../workbench.mjs';
import { logger } from '../log.mjs';

const FILE = 'bad-files.experiment.json';
const LABELS = 'fm-copy/train-labels-idx1-ubyte.gz';
const TEXT = `// Two files Trainscope cannot read.
{
  "name": "Bad files",
  "data": {
    "type": "idx",
    "images": "../../outside/train-images-idx3-ubyte.gz",
    "labels": "${LABELS}"
  },
  "model": [{ "type": "linear" }],
  "optimizer": { "type": "sgd", "lr": 0.1 }
}
`;
const lineOf = (key) => TEXT.split('\n').findIndex(l => l.includes(`"${key}"`)) + 1;
const DEBIAN_LABELS = '/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz';
const log = logger('e2e:bad-files');

/** Writes the experiment into the workspace before the workbench opens. */
export function prepareBadFilesExperiment(workspace) {
  fs.writeFileSync(path.join(workspace, FILE), TEXT);
}

/** The notifications on screen that say this experiment cannot train: their text and buttons. */
async function cannotTrainToasts(page) {
  return page.locator('.notifications-toasts .notification-toast', { hasText: 'Bad files cannot train' }).evaluateAll(toasts => toasts.map(t => ({
    message: t.querySelector('.notification-list-item-message')?.textContent?.trim() ?? '',
    buttons: [...t.querySelectorAll('.notification-list-item-buttons-container .monaco-button')].map(b => b.textContent?.trim() ?? ''),
  })));
}

async function trainAndReadToasts(page) {
  const editor = page.locator('.editor-instance', { has: page.locator('.view-line', { hasText: '"Bad files"' }) }).first();
  const lens = editor.locator('.codelens-decoration a').filter({ hasText: /^\u25B6 Train$/ }).first();
  await lens.waitFor({ timeout: 30_000 });
  await lens.click();
  log.info('clicked ▶ Train on the bad-files experiment');
  let toasts = [];
  for (let i = 0; i < 40 && toasts.length === 0; i++) {
    await page.waitForTimeout(250);
    toasts = await cannotTrainToasts(page);
  }
  // A second notification would come at once with the first; give it a moment to show up.
  await page.waitForTimeout(1000);
  return cannotTrainToasts(page);
}

async function trainscopeErrors(page, expected) {
  let markers = [];
  for (let i = 0; i < 40 && markers.length < expected; i++) {
    await page.waitForTimeout(250);
    markers = (await problems(page, FILE)).filter(m => m.file === FILE && m.severity === 'error' && m.source.includes('Trainscope'));
  }
  return markers;
}

export async function badFilesScenario({ page, baseUrl, workspace, shot, check }) {
  if (!(await page.locator('.monaco-workbench').isVisible().catch(() => false))) {
    await openWorkbench(page, workbenchUrl(baseUrl, workspace), FILE);
  }
  if (!(await page.locator('.explorer-folders-view').isVisible())) {
    await page.locator('.activitybar .action-item a[aria-label^="Explorer"]').click();
  }
  await openFromExplorer(page, FILE);

  const installed = fs.existsSync(DEBIAN_LABELS);
  const first = await trainAndReadToasts(page);
  check(first.length === 1, 'one notification for both bad files', JSON.stringify(first));
  const toast = first[0];
  check(!!toast && /^Bad files cannot train: '\.\.\/\.\.\/outside\/train-images-idx3-ubyte\.gz' is outside the workspace root .* \(and 1 more problem\)$/.test(toast.message),
    'it says the first problem (images outside the workspace) and that there is 1 more', toast?.message);
  const buttons = installed ? ['Copy Fashion-MNIST Here', 'Go to Problem'] : ['Go to Problem'];
  check(JSON.stringify(toast?.buttons) === JSON.stringify(buttons), `its buttons: ${buttons.join(', ')}`, JSON.stringify(toast?.buttons));
  await shot('13-bad-files-notification.png');

  const markers = await trainscopeErrors(page, 2);
  check(markers.length === 2, 'the Problems panel holds both problems', markers.map(m => `${m.line}: ${m.message}`).join(' | '));
  const at = (key, pattern) => markers.some(m => new RegExp(`Ln ${lineOf(key)},`).test(m.line) && pattern.test(m.message));
  check(at('images', /outside the workspace/), `the outside path is on the images key (line ${lineOf('images')})`);
  check(at('labels', /not found/), `the missing labels file is on the labels key (line ${lineOf('labels')})`);
  await shot('14-bad-files-problems.png');

  if (!installed) {
    log.info(`${DEBIAN_LABELS} is not installed: the copy is not offered, nothing more to try`);
    return;
  }
  // The notification's copy brings the Debian files to where the experiment looks for its labels.
  await page.locator('.notifications-toasts .notification-toast', { hasText: 'Bad files cannot train' })
    .locator('.monaco-button', { hasText: 'Copy Fashion-MNIST Here' }).first().click();
  const copied = path.join(workspace, LABELS);
  let size = -1;
  for (let i = 0; i < 120 && size !== fs.statSync(DEBIAN_LABELS).size; i++) {
    await page.waitForTimeout(250);
    size = fs.existsSync(copied) ? fs.statSync(copied).size : -1;
  }
  check(size === fs.statSync(DEBIAN_LABELS).size, `"Copy Fashion-MNIST Here" copied the labels to ${LABELS}`);

  // Trained again, only the outside path is left: no "more problems", no copy offered.
  await page.locator('.editor-instance .view-line', { hasText: '"Bad files"' }).first().click();
  const again = await trainAndReadToasts(page);
  const last = again.at(-1);
  check(!!last && !/more problem/.test(last.message) && /outside the workspace root/.test(last.message) && JSON.stringify(last.buttons) === '["Go to Problem"]',
    'trained again, the one problem left is said alone, with Go to Problem only', JSON.stringify(again));
  const left = await trainscopeErrors(page, 1);
  await page.waitForTimeout(500);
  check(left.length === 1 && /outside the workspace/.test(left[0].message), 'the Problems panel holds the outside path alone', left.map(m => m.message).join(' | '));
  await shot('15-bad-files-one-left.png');
  await leaveAsFound(page);
}

/**
 * Puts the workbench back as the scenarios after this one expect it: no Problems panel taking the
 * editor's height, no notification over the editor, the bad experiment's editor closed.
 */
async function leaveAsFound(page) {
  await page.getByPlaceholder(/^Filter \(e\.g\./).first().fill('').catch(() => {});
  const hidePanel = page.locator('.part.panel a.action-label[aria-label^="Hide Panel"]').first();
  if (await hidePanel.isVisible().catch(() => false)) await hidePanel.click();
  for (let i = 0; i < 10; i++) {
    const clear = page.locator('.notifications-toasts a.action-label[aria-label^="Clear Notification"]').first();
    if (!(await clear.isVisible().catch(() => false))) break;
    await clear.click().catch(() => {});
    await page.waitForTimeout(200);
  }
  const tab = page.locator('.tabs-container .tab', { hasText: FILE });
  await tab.hover().catch(() => {});
  await tab.locator('a.action-label[aria-label^="Close"]').first().click().catch(() => {});
}
