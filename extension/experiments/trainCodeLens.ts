import * as vscode from 'vscode';
import { formatMetric } from '../../contract/format';
import type { Run } from '../runs/run';
import type { RunManager } from '../runs/runManager';
import type { RunStore, StoredRun } from '../runs/runStore';
import { progressText } from '../ui/runProgress';
import { ExperimentDocuments } from './experimentDocuments';

/**
 * How often the lenses of a running experiment refresh their epoch and loss. VS Code postpones a
 * lens refresh while change events keep coming, so they are fired on a steady beat, not per delta.
 */
const LIVE_REFRESH_MS = 1000;

/**
 * "▶ Train" above the experiment and above each variant; "■ Stop" with the epoch and loss while it
 * runs ("stopping…" once Stop was pressed); the outcome of its newest kept run otherwise.
 */
export class TrainCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly experiments: ExperimentDocuments,
    private readonly runs: RunManager,
    private readonly store: RunStore,
  ) {
    this.subscriptions = [
      // The store changes when a run starts or ends, and when runs are deleted or refreshed.
      store.onDidChange(() => {
        this.changed.fire();
        this.followLiveRuns();
      }),
      runs.onDidStartRun(run => this.watchStopping(run)),
    ];
  }

  /** While runs train, refresh on a steady beat; stop the beat when none is left. */
  private followLiveRuns(): void {
    if (this.runs.liveRuns.length > 0) {
      this.timer ??= setInterval(() => {
        this.changed.fire();
        if (this.runs.liveRuns.length === 0) {
          clearInterval(this.timer);
          this.timer = undefined;
        }
      }, LIVE_REFRESH_MS);
    }
  }

  /** "stopping…" shows at once, not at the next beat. */
  private watchStopping(run: Run): void {
    let shown = run.state;
    const sub = run.onDidChange(change => {
      if (change.kind === 'state' && run.state !== shown) {
        shown = run.state;
        this.changed.fire();
      }
      if (!run.isActive) {
        sub.dispose();
      }
    });
    this.subscriptions.push(sub);
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const parsed = this.experiments.get(doc);
    const lenses: vscode.CodeLens[] = [];
    const file = vscode.workspace.asRelativePath(doc.uri, false);
    const lineOf = (offset: number): vscode.Range => doc.lineAt(doc.positionAt(offset).line).range;
    this.addLenses(lenses, doc, file, lineOf(parsed.baseRange.offset), undefined);
    if (parsed.variants.length > 0 && !this.runs.findLive(doc.uri, undefined)) {
      lenses.push(
        new vscode.CodeLens(lineOf(parsed.baseRange.offset), {
          title: `▶ Train all (${parsed.variants.length + 1})`,
          command: 'trainscope.trainAll',
          arguments: [doc.uri],
          tooltip: 'Train the base and every variant side by side, and compare them in one view',
        }),
      );
    }
    for (const v of parsed.variants) {
      this.addLenses(lenses, doc, file, lineOf(v.keyOffset), v.name);
    }
    return lenses;
  }

  private addLenses(lenses: vscode.CodeLens[], doc: vscode.TextDocument, file: string, range: vscode.Range, variant: string | undefined): void {
    const live = this.runs.findLive(doc.uri, variant);
    if (live) {
      if (live.state !== 'stopping') {
        lenses.push(new vscode.CodeLens(range, { title: '■ Stop', command: 'trainscope.stop', arguments: [live.id], tooltip: 'Stop this run; what it has done so far is kept' }));
      }
      lenses.push(new vscode.CodeLens(range, { title: progressText(live), command: 'trainscope.openRun', arguments: [live.id], tooltip: 'Open the live dashboard of this run' }));
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
    clearInterval(this.timer);
    this.changed.dispose();
    this.subscriptions.forEach(s => s.dispose());
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
