import * as vscode from 'vscode';
import type { Problem } from '../../engine/experiment/parse';
import type { ProblemFix } from '../../engine/experiment/problems';
import { ExperimentDocuments, isExperimentDocument } from './experimentDocuments';

const DEBOUNCE_MS = 200;

const SEVERITY: Record<Problem['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function problemToDiagnostic(doc: vscode.TextDocument, p: Problem): vscode.Diagnostic {
  const start = doc.positionAt(p.offset);
  const end = doc.positionAt(p.offset + Math.max(p.length, 1));
  const d = new vscode.Diagnostic(
    new vscode.Range(start, end),
    p.message,
    SEVERITY[p.severity],
  );
  d.source = 'Trainscope';
  return d;
}

/**
 * Validates experiment files as the user types and shows every problem once, at its exact key, with
 * the engine's own validator — the only validator of these files: the JSON Schema gives completion
 * and hovers (experimentLanguage.ts) but does not report problems a second time.
 */
export class ValidationDiagnostics implements vscode.Disposable, vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];
  private readonly collection = vscode.languages.createDiagnosticCollection('trainscope');
  /** The fix of each diagnostic shown that has one (did you mean, a value back in its range). */
  private readonly fixes = new WeakMap<vscode.Diagnostic, ProblemFix>();
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
      parsed.problems.map(p => {
        const d = problemToDiagnostic(doc, p);
        if (p.fix) this.fixes.set(d, p.fix);
        return d;
      }),
    );
  }

  /** Each fix replaces exactly the range its problem marks, and nothing around it. */
  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const shown = this.collection.get(doc.uri) ?? [];
    const actions: vscode.CodeAction[] = [];
    for (const asked of context.diagnostics) {
      const diagnostic = shown.find(d => d === asked || (d.message === asked.message && d.range.isEqual(asked.range)));
      const fix = diagnostic && this.fixes.get(diagnostic);
      if (!diagnostic || !fix) continue;
      const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [asked];
      action.isPreferred = true;
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(doc.uri, diagnostic.range, fix.text);
      actions.push(action);
    }
    return actions;
  }

  dispose(): void {
    this.timers.forEach(t => clearTimeout(t));
    this.collection.dispose();
    this.subscriptions.forEach(s => s.dispose());
  }
}
