/** Fashion-MNIST as Debian's dataset-fashion-mnist package installs it: where, and how to get it. */
import fs from 'node:fs';
import path from 'node:path';

export const DEBIAN_FASHION_MNIST = '/usr/share/datasets/fashion-mnist';
export const INSTALL_FASHION_MNIST = 'sudo apt-get install dataset-fashion-mnist';

/** The IDX files of a folder (gzipped or not), by name; none when there is no such folder. */
export function idxFileNames(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter(f => /-idx\d-ubyte(\.gz)?$/.test(f))
      .sort();
  } catch {
    return [];
  }
}

/**
 * Where to copy the package's files for a data file (absolute) that is missing and that the package
 * has, by name: the file's folder; else undefined.
 */
export function copyTargetFor(file: string, source = DEBIAN_FASHION_MNIST): string | undefined {
  return !fs.existsSync(file) && idxFileNames(source).includes(path.basename(file)) ? path.dirname(file) : undefined;
}
