// Where the harness keeps things. Everything it downloads or installs lives under `.vscode-test/`,
// everything a person may want to look at afterwards (screenshots, logs) under `test-results/`.
// Both folders are git-ignored.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const cacheDir = path.join(repoRoot, '.vscode-test');
export const resultsDir = path.join(repoRoot, 'test-results');
export const examplesDir = path.join(repoRoot, 'examples');

/** A folder for one kind of artifact, e.g. resultsFor('e2e') → test-results/e2e. */
export function resultsFor(name) {
  return path.join(resultsDir, name);
}
