import * as vscode from 'vscode';
import { isRunId } from '../../contract/messages';
import type { Run } from '../runs/run';
import type { RunStore } from '../runs/runStore';
import { COMPARE_VIEW_TYPE, ComparisonPanel, type ComparisonHost } from './comparisonPanel';
import { pageOptions } from './pageHtml';

/** What the comparison page keeps with setState (checked before use: it comes from the page). */
interface ComparisonState {
  runIds?: unknown;
  title?: unknown;
}

/**
 * The open comparisons. Each is a panel of its own (a comparison of other runs opens another);
 * they survive window reloads through the serializer, reloading their runs from their folders.
 */
export class Comparisons implements vscode.Disposable, vscode.WebviewPanelSerializer<ComparisonState> {
  private readonly open = new Set<ComparisonPanel>();
  private readonly registration: vscode.Disposable;

  constructor(
    private readonly host: ComparisonHost,
    private readonly store: RunStore,
  ) {
    this.registration = vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, this);
  }

  /** The comparison of exactly these runs if one is open, else a new one beside the editor. */
  show(runs: readonly Run[], title: string): ComparisonPanel {
    const ids = runs.map(r => r.id).join('\n');
    for (const c of this.open) {
      if (c.runIds.join('\n') === ids) {
        c.reveal();
        return c;
      }
    }
    const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, pageOptions(this.host.extensionUri));
    return this.attach(panel, runs, title);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: ComparisonState | undefined): Promise<void> {
    const ids = Array.isArray(state?.runIds) ? state.runIds.filter(isRunId).slice(0, 1000) : [];
    const runs = ids.map(id => this.store.open(id)).filter((r): r is Run => r !== undefined);
    if (runs.length === 0) {
      panel.webview.html = '<!DOCTYPE html><html><body><p>The runs of this comparison no longer exist (their folders were deleted).</p></body></html>';
      return;
    }
    const title = typeof state?.title === 'string' && state.title.length < 200 ? state.title : 'Compare runs';
    this.attach(panel, runs, title);
  }

  private attach(panel: vscode.WebviewPanel, runs: readonly Run[], title: string): ComparisonPanel {
    const comparison = new ComparisonPanel(panel, this.host, title);
    comparison.add(runs);
    this.open.add(comparison);
    comparison.onDidClose(() => this.open.delete(comparison));
    return comparison;
  }

  /** A deleted run leaves every comparison. */
  removeRun(runId: string): void {
    this.open.forEach(c => c.remove(runId));
  }

  dispose(): void {
    this.registration.dispose();
    [...this.open].forEach(c => c.dispose());
  }
}
