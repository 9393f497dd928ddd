import * as vscode from 'vscode';
import type { RunState } from '../../contract/messages';
import { formatMetric } from '../../contract/format';
import type { RunStore, StoredRun } from './runStore';

const STATE_ICONS: Record<RunState, vscode.ThemeIcon> = {
  // Still icons: a spinning one repaints the window for as long as a run trains (hours, maybe).
  starting: new vscode.ThemeIcon('pulse'),
  running: new vscode.ThemeIcon('pulse', new vscode.ThemeColor('charts.blue')),
  stopping: new vscode.ThemeIcon('debug-stop', new vscode.ThemeColor('charts.yellow')),
  completed: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  stopped: new vscode.ThemeIcon('debug-stop', new vscode.ThemeColor('charts.yellow')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  interrupted: new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('charts.yellow')),
};

/** The "Runs" view: every kept run, newest first; click one to open its dashboard. */
export class RunsTree implements vscode.TreeDataProvider<StoredRun>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly store: RunStore) {
    this.subscriptions = [store.onDidChange(() => this.changed.fire())];
  }

  getChildren(element?: StoredRun): StoredRun[] {
    return element ? [] : this.store.list();
  }

  getTreeItem(r: StoredRun): vscode.TreeItem {
    // Runs of one experiment differ by variant (the base says so) and by when they started.
    const item = new vscode.TreeItem(r.meta.name ?? `${r.meta.experiment} · ${r.meta.variant ?? 'base'}`);
    item.id = r.meta.id;
    item.iconPath = STATE_ICONS[r.state];
    const final = r.meta.summary?.final;
    const outcome =
      r.state === 'failed'
        ? (r.meta.summary?.error ?? 'failed')
        : final
          ? `loss ${formatMetric(final.val_loss ?? final.train_loss)}${final.val_accuracy !== undefined ? ` · acc ${formatMetric(final.val_accuracy, 'accuracy')}` : ''}`
          : r.state;
    // The time first: a narrow view cuts the end of the description.
    item.description = `${startTime(r.meta.started_at)} · ${outcome}`;
    const named = r.meta.name ? `${r.meta.experiment} · ${r.meta.variant ?? 'base'}\n\n` : '';
    item.tooltip = new vscode.MarkdownString(
      `**${item.label}** — ${r.state}\n\n${named}${r.meta.file}\n\nstarted ${new Date(r.meta.started_at).toLocaleString()}\n\n\`${r.dir}\``,
    );
    item.contextValue = `run.${r.state}`;
    item.command = { command: 'trainscope.openRun', title: 'Open Run', arguments: [r.meta.id] };
    return item;
  }

  dispose(): void {
    this.changed.dispose();
    this.subscriptions.forEach(s => s.dispose());
  }
}

/** "14:25:07" for a run started today, "Dec 4 14:25" before. */
export function startTime(iso: string, now = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number): string => String(n).padStart(2, '0');
  const time = `${p(d.getHours())}:${p(d.getMinutes())}`;
  if (d.toDateString() === now.toDateString()) return `${time}:${p(d.getSeconds())}`;
  return `${d.toLocaleString('en-US', { month: 'short' })} ${d.getDate()} ${time}`;
}
