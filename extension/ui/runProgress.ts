import * as vscode from 'vscode';
import { formatMetric, lastEpoch } from '../../contract/series';
import type { Run } from '../runs/run';
import type { RunManager } from '../runs/runManager';

/**
 * Tells the user a run is going on without getting in the way: a status bar item (click → the run's
 * dashboard) and a progress notification whose Cancel stops the run.
 */
export class RunProgress implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('trainscope.status', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[] = [];

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
          token.onCancellationRequested(() => this.runs.stop(run.id));
          // VS Code may call this task after a round trip to the window: the run can be over already.
          if (!run.isActive) {
            resolve();
            return;
          }
          const sub = run.onDidChange(() => {
            const epoch = lastEpoch(run.records);
            const total = run.header?.epochs ?? 0;
            if (epoch && total > 0) {
              const pct = (100 * epoch.epoch) / total;
              progress.report({ increment: pct - reported, message: `epoch ${epoch.epoch}/${total} · loss ${formatMetric(epoch.train_loss)}` });
              reported = pct;
            }
            this.update();
            if (!run.isActive) {
              sub.dispose();
              resolve();
            }
          });
        }),
    );
  }

  private update(ended?: Run): void {
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
    const epoch = lastEpoch(run.records);
    const progress = epoch ? ` ${epoch.epoch}/${run.header?.epochs ?? '?'} · loss ${formatMetric(epoch.train_loss)}` : '';
    this.item.text = `$(sync~spin) ${run.title}${progress}${live.length > 1 ? ` (+${live.length - 1})` : ''}`;
    this.item.tooltip = 'Trainscope: training — click to open the dashboard';
    this.item.command = { command: 'trainscope.openRun', title: 'Open Run', arguments: [run.id] };
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
    this.subscriptions.forEach(s => s.dispose());
  }
}
