/**
 * How to get the data files an experiment names and the workspace lacks, when Debian's
 * dataset-fashion-mnist has them (by name): the commands that copy them where the experiment looks,
 * as the editor's "Copy Fashion-MNIST here" quick fix does.
 */
import path from 'node:path';
import { dataFiles } from '../engine/data/kinds';
import type { NamedFiles } from '../engine/experiment/validate';
import { copyTargetFor } from '../engine/prepare/debianFashionMnist';
import { isInside, type WorkspaceRoot } from '../engine/prepare/workspaceFiles';

/** `runs`: the files of the base and of each variant. `source`: where the package is installed. */
export function fashionMnistHint(runs: readonly (NamedFiles | undefined)[], experimentFile: string, root: WorkspaceRoot, cwd: string, source: string): string {
  const folders = new Set<string>();
  for (const files of runs) {
    for (const { path: written } of files?.data ? dataFiles(files.data) : []) {
      if (typeof written !== 'string') continue;
      const folder = copyTargetFor(path.resolve(path.dirname(experimentFile), written), source);
      // Outside the workspace the run would refuse the file even once copied.
      if (folder !== undefined && isInside(root.dir, folder)) folders.add(folder);
    }
  }
  const commands = [...folders].map(folder => {
    const to = shellWord(path.relative(cwd, folder) || '.');
    return `mkdir -p ${to} && cp ${shellWord(source)}/*.gz ${to}/`;
  });
  return commands.length === 0 ? '' : `hint: Debian's dataset-fashion-mnist has the missing files; copy them into the workspace with:\n  ${commands.join(' && ')}\n`;
}

/** A path as one shell word: quoted when it holds anything but plain characters. */
const shellWord = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
