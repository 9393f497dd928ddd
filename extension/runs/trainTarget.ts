import type * as vscode from 'vscode';
import type { ParsedExperiment } from '../../engine/experiment/parse';

/** What to train: an experiment document and, optionally, one of its variants. */
export interface TrainTarget {
  document: vscode.TextDocument;
  parsed: ParsedExperiment;
  variant?: string;
}
