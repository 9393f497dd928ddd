import * as vscode from 'vscode';
import type { Problem } from '../../engine/experiment/parse';
import { ExperimentDocuments, isExperimentDocument } from './experimentDocuments';

const DEBOUNCE_MS = 200;

export function problemToDiagnostic(doc: vscode.TextDocument, p: Problem): vscode.Diagnostic {
  const start = doc.positionAt(p.offset);
  const end = doc.positionAt(p.offset + Math.max(p.length, 1));
  const d = new vscode.Diagnostic(
    new vscode.Range(start, end),
    p.message,
    p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
  );
  d.source = 'Trainscope';
  return d;
}

/**
 * Validates experiment files as the user types and shows every problem at its exact key, with the
 * engine's own validator (the JSON Schema contributed in package.json gives completion and hovers;
 * this adds what a schema cannot say: variant blame, cross-key rules, suggestions).
 */
export class ValidationDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('trainscope');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly experiments: ExperimentDocuments) {
    vscode.workspace.textDocuments.forEach(d => this.refresh(d));
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument(d => this.refresh(d)),
      vscode.workspace.onDidChangeTextDocument(e => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument(d => {
        this.collection.delete(d.uri);
        this.experiments.forget(d);
      }),
    );
  }

  private schedule(doc: vscode.TextDocument): void {
    if (!isExperimentDocument(doc)) {
      return;
    }
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.refresh(doc);
      }, DEBOUNCE_MS),
    );
  }

  refresh(doc: vscode.TextDocument): void {
    if (!isExperimentDocument(doc) || doc.isClosed) {
      return;
    }
    const parsed = this.experiments.get(doc);
    this.collection.set(
      doc.uri,
      parsed.problems.map(p => problemToDiagnostic(doc, p)),
    );
  }

  dispose(): void {
    this.timers.forEach(t => clearTimeout(t));
    this.collection.dispose();
    this.subscriptions.forEach(s => s.dispose());
  }
}
