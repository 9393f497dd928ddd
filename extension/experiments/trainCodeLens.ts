import * as vscode from 'vscode';
import { formatMetric, lastEpoch } from '../../contract/series';
import type { Run } from '../runs/run';
import type { RunManager } from '../runs/runManager';
import { ExperimentDocuments } from './experimentDocuments';

/**
 * "▶ Train" above the experiment and above each variant; "■ Stop" and live progress while it runs;
 * the outcome of the last run of this window afterwards.
 */
export class TrainCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  /** The last run of each (file, variant) in this window, for the outcome lens. */
  private readonly lastRuns = new Map<string, Run>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly watching = new Map<string, vscode.Disposable>();
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly experiments: ExperimentDocuments,
    private readonly runs: RunManager,
  ) {
    this.subscriptions.push(
      runs.onDidStartRun(run => {
        if (run.identity.experimentUri) {
          this.lastRuns.set(key(run.identity.experimentUri, run.identity.variant), run);
        }
        this.watching.set(run.id, run.onDidChange(() => this.refreshSoon()));
        this.changed.fire();
      }),
      runs.onDidEndRun(run => {
        this.watching.get(run.id)?.dispose();
        this.watching.delete(run.id);
        this.changed.fire();
      }),
    );
  }

  /** Progress lenses update at most twice a second. */
  private refreshSoon(): void {
    this.refreshTimer ??= setTimeout(() => {
      this.refreshTimer = undefined;
      this.changed.fire();
    }, 500);
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const parsed = this.experiments.get(doc);
    const lenses: vscode.CodeLens[] = [];
    const baseRange = doc.lineAt(doc.positionAt(parsed.baseRange.offset).line).range;
    this.addLenses(lenses, doc, baseRange, undefined);
    for (const v of parsed.variants) {
      const range = doc.lineAt(doc.positionAt(v.keyOffset).line).range;
      this.addLenses(lenses, doc, range, v.name);
    }
    return lenses;
  }

  private addLenses(lenses: vscode.CodeLens[], doc: vscode.TextDocument, range: vscode.Range, variant: string | undefined): void {
    const live = this.runs.findLive(doc.uri, variant);
    if (live) {
      lenses.push(new vscode.CodeLens(range, { title: '■ Stop', command: 'trainscope.stop', arguments: [live.id], tooltip: 'Stop this run; what it has done so far is kept' }));
      lenses.push(new vscode.CodeLens(range, { title: progressText(live), command: 'trainscope.openRun', arguments: [live.id] }));
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
    const last = this.lastRuns.get(key(doc.uri, variant));
    if (last) {
      lenses.push(new vscode.CodeLens(range, { title: outcomeText(last), command: 'trainscope.openRun', arguments: [last.id], tooltip: 'Open the last run' }));
    }
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.changed.dispose();
    this.watching.forEach(s => s.dispose());
    this.subscriptions.forEach(s => s.dispose());
  }
}

function key(uri: vscode.Uri, variant: string | undefined): string {
  return `${uri.toString()}#${variant ?? ''}`;
}

function progressText(run: Run): string {
  const e = lastEpoch(run.records);
  const total = run.header?.epochs;
  return e ? `epoch ${e.epoch}/${total ?? '?'} · loss ${formatMetric(e.train_loss)}` : 'starting…';
}

function outcomeText(run: Run): string {
  if (run.state === 'failed') {
    return `✗ ${run.error ?? 'failed'}`;
  }
  const final = run.summary?.final;
  if (!final) {
    return run.state;
  }
  const loss = final.val_loss ?? final.train_loss;
  const acc = final.val_accuracy ?? final.train_accuracy;
  const mark = run.state === 'completed' ? '✓' : '■';
  return `${mark} ${run.state}: ${final.val_loss !== undefined ? 'val ' : ''}loss ${formatMetric(loss)}${acc !== undefined ? ` · acc ${formatMetric(acc, 'accuracy')}` : ''}`;
}
