import * as vscode from 'vscode';
import { formatMetric } from '../../contract/series';
import type { RunManager } from '../runs/runManager';
import type { RunStore, StoredRun } from '../runs/runStore';
import { ExperimentDocuments } from './experimentDocuments';

/**
 * "▶ Train" above the experiment and above each variant; "■ Stop" while it runs; the outcome of its
 * newest kept run otherwise. The lenses change only when a run starts or ends: live progress is in
 * the panel, the status bar and the notification (VS Code postpones a lens refresh while change
 * events keep coming, so a per-epoch lens would lag behind).
 */
export class TrainCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly experiments: ExperimentDocuments,
    private readonly runs: RunManager,
    private readonly store: RunStore,
  ) {
    // The store changes when a run starts or ends, and when runs are deleted or refreshed.
    this.subscription = store.onDidChange(() => this.changed.fire());
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const parsed = this.experiments.get(doc);
    const lenses: vscode.CodeLens[] = [];
    const file = vscode.workspace.asRelativePath(doc.uri, false);
    const lineOf = (offset: number): vscode.Range => doc.lineAt(doc.positionAt(offset).line).range;
    this.addLenses(lenses, doc, file, lineOf(parsed.baseRange.offset), undefined);
    for (const v of parsed.variants) {
      this.addLenses(lenses, doc, file, lineOf(v.keyOffset), v.name);
    }
    return lenses;
  }

  private addLenses(lenses: vscode.CodeLens[], doc: vscode.TextDocument, file: string, range: vscode.Range, variant: string | undefined): void {
    const live = this.runs.findLive(doc.uri, variant);
    if (live) {
      lenses.push(new vscode.CodeLens(range, { title: '■ Stop', command: 'trainscope.stop', arguments: [live.id], tooltip: 'Stop this run; what it has done so far is kept' }));
      lenses.push(new vscode.CodeLens(range, { title: 'Show run', command: 'trainscope.openRun', arguments: [live.id], tooltip: 'Open the live dashboard of this run' }));
      return;
    }
    lenses.push(
      new vscode.CodeLens(range, {
        title: variant ? `▶ Train ${variant}` : '▶ Train',
        command: 'trainscope.train',
        arguments: [doc.uri, variant ?? null],
        tooltip: variant ? `Train the experiment with variant '${variant}' applied` : 'Train this experiment',
      }),
    );
    const last = this.store.latest(file, variant);
    if (last) {
      lenses.push(new vscode.CodeLens(range, { title: outcomeText(last), command: 'trainscope.openRun', arguments: [last.meta.id], tooltip: 'Open the last run' }));
    }
  }

  dispose(): void {
    this.changed.dispose();
    this.subscription.dispose();
  }
}

function outcomeText(run: StoredRun): string {
  const summary = run.meta.summary;
  if (run.state === 'failed') {
    // e.g. "✗ failed at step 312: loss became NaN" — the full story is on the key the run blames.
    const step = summary?.stopped_by?.step ?? (summary ? summary.steps + 1 : undefined);
    return `✗ failed${step ? ` at step ${step}` : ''}: ${shorten(summary?.error ?? 'see the run', 60)}`;
  }
  const final = summary?.final;
  if (!final) {
    return run.state;
  }
  const loss = final.val_loss ?? final.train_loss;
  const acc = final.val_accuracy ?? final.train_accuracy;
  const mark = run.state === 'completed' ? '✓' : '■';
  return `${mark} ${run.state}: ${final.val_loss !== undefined ? 'val ' : ''}loss ${formatMetric(loss)}${acc !== undefined ? ` · acc ${formatMetric(acc, 'accuracy')}` : ''}`;
}

/** The first sentence, cut at a word boundary to at most `max` characters. */
function shorten(text: string, max: number): string {
  const sentence = text.split(/(?<=[.;:])\s/)[0].replace(/[.;:]$/, '');
  if (sentence.length <= max) {
    return sentence;
  }
  const cut = sentence.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max - 15))}…`;
}
