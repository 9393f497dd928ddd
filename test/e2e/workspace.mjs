// A fresh copy of examples/ for each run: the tests train models and the extension writes run
// records next to the experiments, which must never end up in the repository's examples/.
import fs from 'node:fs';
import path from 'node:path';
import { cacheDir, examplesDir } from './paths.mjs';

/** Copies examples/ (without earlier run output) to .vscode-test/workspaces/<name>/examples and returns that path. */
export function freshWorkspace(name) {
  if (!fs.existsSync(examplesDir)) { throw new Error(`${examplesDir} does not exist`); }
  const root = path.join(cacheDir, 'workspaces', name);
  fs.rmSync(root, { recursive: true, force: true });
  const dest = path.join(root, 'examples');
  fs.cpSync(examplesDir, dest, {
    recursive: true,
    filter: (src) => path.basename(src) !== '.trainscope',
  });
  return dest;
}
