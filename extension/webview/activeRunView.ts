import * as vscode from 'vscode';
import { isCurve } from '../../engine/series/recordSeries';
import type { Run } from '../runs/run';
import { dashboardHtml, webviewOptions } from './html';
import { RunWebview, type RunWebviewActions } from './runWebview';

export const ACTIVE_RUN_VIEW_ID = 'trainscope.activeRun';


/**
 * The side-panel view: a compact dashboard of the active run (the one training now, or the last one
 * started or opened; after a window reload, the newest kept run).
 */
export class ActiveRunView implements vscode.WebviewViewProvider, vscode.Disposable {
  private bridge: RunWebview | undefined;
  private current: Run | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly actions: RunWebviewActions,
    /** The run to show when none was started or opened in this window yet. */
    private readonly newestKeptRun: () => Run | undefined,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.current ??= this.newestKeptRun();
    view.webview.options = webviewOptions(this.extensionUri);
    this.bridge?.dispose();
    // The side view draws the curves; the probes' series (most of a run's) are the panel's.
    this.bridge = new RunWebview(view.webview, this.actions, isCurve);
    view.webview.html = dashboardHtml(view.webview, this.extensionUri, 'sidebar');
    this.bridge.show(this.current);
    view.onDidDispose(() => {
      this.bridge?.dispose();
      this.bridge = undefined;
    });
  }

  get activeRun(): Run | undefined {
    return this.current;
  }

  setActiveRun(run: Run | undefined): void {
    this.current = run;
    this.bridge?.show(run);
  }

  dispose(): void {
    this.bridge?.dispose();
  }
}
