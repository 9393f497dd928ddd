import * as vscode from 'vscode';
import { isRunId } from '../../contract/messages';
import type { Run } from '../runs/run';
import type { RunStore } from '../runs/runStore';
import { dashboardHtml, webviewOptions } from './html';
import { RunWebview, type RunWebviewActions } from './runWebview';

export const RUN_PANEL_VIEW_TYPE = 'trainscope.run';

/** What the panel's page saved with setState (webview/vscodeApi.ts); the host needs the run's id. */
interface PanelState {
  runId?: unknown;
}

/**
 * One editor panel per run, showing its dashboard live. Panels survive window reloads: VS Code
 * restores them through the serializer and the run is reloaded from its folder.
 */
export class RunPanels implements vscode.Disposable, vscode.WebviewPanelSerializer<PanelState> {
  private readonly panels = new Map<string, { panel: vscode.WebviewPanel; bridge: RunWebview }>();
  private readonly registration: vscode.Disposable;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly store: RunStore,
    private readonly actions: RunWebviewActions,
  ) {
    this.registration = vscode.window.registerWebviewPanelSerializer(RUN_PANEL_VIEW_TYPE, this);
  }

  show(run: Run, preserveFocus = true): vscode.WebviewPanel {
    const existing = this.panels.get(run.id);
    if (existing) {
      existing.panel.reveal(undefined, preserveFocus);
      return existing.panel;
    }
    const panel = vscode.window.createWebviewPanel(
      RUN_PANEL_VIEW_TYPE,
      run.title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      { ...webviewOptions(this.extensionUri), retainContextWhenHidden: false },
    );
    this.attach(panel, run);
    return panel;
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: PanelState | undefined): Promise<void> {
    // The state comes from the page: check it before using it as a folder name. A window closed
    // moments after the panel opened may not have saved its state: then the newest run with the
    // panel's title is the one it showed.
    const runId = isRunId(state?.runId) ? state.runId : this.store.list().find(r => titleOf(r.meta) === panel.title)?.meta.id;
    const run = runId ? this.store.open(runId) : undefined;
    if (!run) {
      panel.webview.html = `<!DOCTYPE html><html><body><p>${runId ? 'This run no longer exists (its folder was deleted).' : 'Trainscope could not tell which run this panel showed: open it again from the Runs view.'}</p></body></html>`;
      return;
    }
    panel.webview.options = webviewOptions(this.extensionUri);
    this.attach(panel, run);
  }

  private attach(panel: vscode.WebviewPanel, run: Run): void {
    panel.iconPath = {
      light: vscode.Uri.joinPath(this.extensionUri, 'media', 'run-light.svg'),
      dark: vscode.Uri.joinPath(this.extensionUri, 'media', 'run-dark.svg'),
    };
    panel.title = run.title;
    const bridge = new RunWebview(panel.webview, this.actions);
    panel.webview.html = dashboardHtml(panel.webview, this.extensionUri, 'panel');
    bridge.show(run);
    this.panels.set(run.id, { panel, bridge });
    panel.onDidDispose(() => {
      bridge.dispose();
      this.panels.delete(run.id);
    });
  }

  /** Closes the panel of a run that was deleted. */
  close(runId: string): void {
    this.panels.get(runId)?.panel.dispose();
  }

  dispose(): void {
    this.registration.dispose();
    this.panels.forEach(p => p.panel.dispose());
  }
}

/** A run's title as its panel shows it (see Run.title). */
function titleOf(meta: { experiment: string; variant?: string }): string {
  return meta.variant ? `${meta.experiment} · ${meta.variant}` : meta.experiment;
}
