import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findingKey, stepMention, type Finding } from '../../engine/diagnostics/finding';
import { readDigest } from '../../engine/runs/runReader';
import type { ExperimentDocuments } from '../experiments/experimentDocuments';
import type { Run } from '../runs/run';
import type { RunManager } from '../runs/runManager';
import type { RunStore, StoredRun } from '../runs/runStore';
import { applyQuickFix, minimalChange } from './applyFix';

const SEVERITY: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

interface Shown {
  diagnostic: vscode.Diagnostic;
  finding: Finding;
  variant: string | undefined;
}

/**
 * What a run's diagnostics found, on the experiment key each finding blames (in the variant when the
 * variant sets that key), live while the run goes and in the Problems panel, each with the step it
 * fired at. They belong to the run: they clear when the experiment is edited or trained again, and
 * come back after a window reload (from the newest kept run of each experiment and variant, unless
 * the experiment changed since). The quick fixes are offered as code actions on them.
 */
export class RunFindings implements vscode.Disposable, vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];
  private readonly collection = vscode.languages.createDiagnosticCollection('trainscope-findings');
  private readonly shown = new Map<string, Shown[]>();
  private readonly watching = new Map<string, vscode.Disposable>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly experiments: ExperimentDocuments,
    private readonly runs: RunManager,
  ) {
    this.subscriptions = [
      runs.onDidStartRun(run => this.follow(run)),
      runs.onDidEndRun(run => {
        this.watching.get(run.id)?.dispose();
        this.watching.delete(run.id);
      }),
      vscode.workspace.onDidChangeTextDocument(e => {
        if (e.contentChanges.length > 0) {
          this.clear(e.document.uri);
        }
      }),
    ];
  }

  private follow(run: Run): void {
    const uri = run.identity.experimentUri;
    if (!uri) {
      return;
    }
    this.clear(uri);
    this.watching.set(
      run.id,
      run.onDidChange(change => {
        if (change.kind === 'delta' && change.delta.findings.length > 0) {
          void this.show(uri, run.identity.variant, change.delta.findings);
        }
      }),
    );
  }

  /**
   * After a window reload: the findings of the newest kept run of each experiment file and variant,
   * when the file has not changed since that run last wrote to its folder.
   */
  async restore(store: RunStore): Promise<void> {
    const newest = new Map<string, StoredRun>();
    for (const r of store.list()) {
      const key = `${r.meta.file}\u0000${r.meta.variant ?? ''}`;
      if (!newest.has(key)) {
        newest.set(key, r);
      }
    }
    for (const r of newest.values()) {
      const counts = r.meta.summary?.findings;
      const mayHave = counts ? counts.error + counts.warning + counts.info > 0 : fs.existsSync(path.join(r.dir, 'series.bin'));
      const uri = this.experimentUri(r);
      if (!mayHave || !uri || this.runs.get(r.meta.id)?.isActive || modifiedAfter(uri.fsPath, r.dir)) {
        continue;
      }
      const findings = readDigest(r.dir).digest.findings;
      if (findings.length > 0) {
        await this.show(uri, r.meta.variant, findings);
      }
    }
  }

  private experimentUri(r: StoredRun): vscode.Uri | undefined {
    const folder = vscode.workspace.workspaceFolders?.find(f => r.dir.startsWith(f.uri.fsPath + path.sep));
    const file = folder ? path.resolve(folder.uri.fsPath, r.meta.file) : undefined;
    return file && fs.existsSync(file) ? vscode.Uri.file(file) : undefined;
  }

  private async show(uri: vscode.Uri, variant: string | undefined, findings: Finding[]): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(uri);
    const parsed = this.experiments.get(doc);
    const rangeOf = (keyPath: Finding['path']): vscode.Range => {
      const at = parsed.locate(keyPath, variant);
      return new vscode.Range(doc.positionAt(at.offset), doc.positionAt(at.offset + Math.max(at.length, 1)));
    };
    const list = this.shown.get(uri.toString()) ?? [];
    for (const finding of findings) {
      const where = [stepMention(finding), variant && `variant ${variant}`].filter(Boolean).join(', ');
      const diagnostic = new vscode.Diagnostic(rangeOf(finding.path), where ? `${finding.message} (${where})` : finding.message, SEVERITY[finding.severity]);
      diagnostic.source = 'Trainscope';
      diagnostic.code = finding.rule;
      // Per-layer details and the consequences folded into this finding, each at its own key.
      if (finding.related?.length) {
        diagnostic.relatedInformation = finding.related.map(
          note => new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, rangeOf(note.path)), note.message),
        );
      }
      // A finding that grew (new evidence folded in, or a later verdict on the same cause) replaces
      // the one shown; several variants of one file keep theirs apart.
      const same = list.findIndex(s => s.variant === variant && findingKey(s.finding) === findingKey(finding));
      if (same >= 0) list[same] = { diagnostic, finding, variant };
      else list.push({ diagnostic, finding, variant });
    }
    this.shown.set(uri.toString(), list);
    this.collection.set(uri, list.map(s => s.diagnostic));
  }

  clear(uri: vscode.Uri): void {
    this.shown.delete(uri.toString());
    this.collection.delete(uri);
  }

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const shown = this.shown.get(doc.uri.toString()) ?? [];
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      const entry = shown.find(s => s.diagnostic === diagnostic || (s.diagnostic.message === diagnostic.message && s.diagnostic.range.isEqual(diagnostic.range)));
      const fix = entry?.finding.fix;
      if (!entry || !fix) {
        continue;
      }
      const before = doc.getText();
      const editor = vscode.window.visibleTextEditors.find(e => e.document === doc);
      const after = applyQuickFix(before, fix, entry.variant, {
        tabSize: typeof editor?.options.tabSize === 'number' ? editor.options.tabSize : 2,
        insertSpaces: editor?.options.insertSpaces !== false,
        eol: doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n',
      });
      const change = minimalChange(before, after);
      const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.isPreferred = entry.finding.severity === 'error';
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(doc.uri, new vscode.Range(doc.positionAt(change.offset), doc.positionAt(change.offset + change.length)), change.content);
      actions.push(action);
    }
    return actions;
  }

  dispose(): void {
    this.collection.dispose();
    this.watching.forEach(w => w.dispose());
    this.subscriptions.forEach(s => s.dispose());
  }
}

/** Whether the experiment file changed after the run last wrote to its folder. */
function modifiedAfter(file: string, runDir: string): boolean {
  try {
    const runWritten = Math.max(...fs.readdirSync(runDir).map(f => fs.statSync(path.join(runDir, f)).mtimeMs));
    return fs.statSync(file).mtimeMs > runWritten;
  } catch {
    return true;
  }
}
