import * as vscode from 'vscode';
import { parseExperiment, type ParsedExperiment } from '../../engine/experiment/parse';

export const EXPERIMENT_SUFFIX = '.experiment.json';
export const EXPERIMENT_GLOB = `**/*${EXPERIMENT_SUFFIX}`;
export const EXPERIMENT_SELECTOR: vscode.DocumentSelector = { pattern: EXPERIMENT_GLOB };

export function isExperimentDocument(doc: vscode.TextDocument): boolean {
  return doc.uri.path.endsWith(EXPERIMENT_SUFFIX);
}

/**
 * Parses each experiment document once per version and shares the result: the code lenses, the
 * validation diagnostics and the Train command all read the same `ParsedExperiment`.
 */
export class ExperimentDocuments {
  private readonly cache = new Map<string, { version: number; parsed: ParsedExperiment }>();

  get(doc: vscode.TextDocument): ParsedExperiment {
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version) {
      return hit.parsed;
    }
    const parsed = parseExperiment(doc.getText(), doc.uri.path.split('/').pop() ?? doc.uri.path);
    this.cache.set(key, { version: doc.version, parsed });
    return parsed;
  }

  forget(doc: vscode.TextDocument): void {
    this.cache.delete(doc.uri.toString());
  }
}
