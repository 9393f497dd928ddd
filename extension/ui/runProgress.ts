import * as vscode from 'vscode';
import { formatMetric } from '../../contract/format';
import type { Run } from '../runs/run';
import type { RunManager } from '../runs/runManager';

/** The status bar and the notification follow a run at most this often (a run sends ~30 deltas a second). */
const REFRESH_MS = 500;

/**
 * Tells the user a run is going on without getting in the way: a status bar item (click → the run's
 * dashboard) and a progress notification whose Cancel stops the run.
 */
export class RunProgress implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('trainscope.status', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[] = [];
  private lastRefresh = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly runs: RunManager) {
    this.item.name = 'Trainscope';
    this.subscriptions.push(
      runs.onDidStartRun(run => {
        this.showNotification(run);
        this.update();
      }),
      runs.onDidEndRun(run => {
        this.update(run);
      }),
    );
  }

  private showNotification(run: Run): void {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Training ${run.title}`, cancellable: true },
      (progress, token) =>
        new Promise<void>(resolve => {
          let reported = 0;
          let lastReport = 0;
          token.onCancellationRequested(() => this.runs.stop(run.id));
          // VS Code may call this task after a round trip to the window: the run can be over already.
          if (!run.isActive) {
            resolve();
            return;
          }
          const sub = run.onDidChange(change => {
            if (!run.isActive) {
              sub.dispose();
              resolve();
              return;
            }
            if (change.kind === 'state') {
              this.update();
            } else {
              this.updateSoon();
            }
            const now = Date.now();
            const epoch = run.digest.lastEpoch;
            const total = run.header?.epochs ?? 0;
            if (run.state === 'stopping') {
              progress.report({ message: 'stopping…' });
            } else if (epoch && total > 0 && now - lastReport >= 2 * REFRESH_MS) {
              lastReport = now;
              const pct = (100 * epoch.epoch) / total;
              progress.report({ increment: pct - reported, message: `epoch ${epoch.epoch}/${total} · loss ${formatMetric(epoch.train_loss)}` });
              reported = pct;
            }
          });
        }),
    );
  }

  private updateSoon(): void {
    const wait = this.lastRefresh + REFRESH_MS - Date.now();
    if (wait <= 0) {
      this.update();
    } else {
      this.timer ??= setTimeout(() => this.update(), wait);
    }
  }

  private update(ended?: Run): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.lastRefresh = Date.now();
    const live = this.runs.liveRuns;
    if (live.length === 0) {
      if (ended) {
        const icon = ended.state === 'completed' ? '$(pass)' : ended.state === 'failed' ? '$(error)' : '$(debug-stop)';
        this.item.text = `${icon} ${ended.title}: ${ended.state}`;
        this.item.tooltip = ended.error ?? 'Open the run';
        this.item.command = { command: 'trainscope.openRun', title: 'Open Run', arguments: [ended.id] };
        this.item.show();
      }
      return;
    }
    const run = live[live.length - 1];
    this.item.text = `$(pulse) ${run.title} ${progressText(run)}${live.length > 1 ? ` (+${live.length - 1})` : ''}`;
    this.item.tooltip = 'Trainscope: training — click to open the dashboard';
    this.item.command = { command: 'trainscope.openRun', title: 'Open Run', arguments: [run.id] };
    this.item.show();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.item.dispose();
    this.subscriptions.forEach(s => s.dispose());
  }
}

/** "epoch 12/60 · loss 0.3412", or "stopping…", for the status bar and the code lens. */
export function progressText(run: Run): string {
  if (run.state === 'stopping') {
    return 'stopping…';
  }
  const epoch = run.digest.lastEpoch;
  const step = run.digest.lastStep;
  const total = run.header?.epochs ?? '?';
  if (epoch) {
    return `epoch ${epoch.epoch}/${total} · loss ${formatMetric(epoch.train_loss)}`;
  }
  if (step) {
    return `epoch ${step.epoch}/${total} · batch loss ${formatMetric(step.loss)}`;
  }
  return 'starting…';
}
