import * as vscode from 'vscode';
import {
  TableFromWebviewType,
  TableToWebviewType,
  parseTableMessage,
  type ExportFormat,
  type TableFromWebview,
  type TableToWebview,
} from '../../contract/compare';
import type { RunStore } from '../runs/runStore';
import { pageHtml, pageOptions } from './pageHtml';
import type { RunRowsBuilder } from './runRowsBuilder';

export const RUNS_TABLE_VIEW_TYPE = 'trainscope.runsTable';

export interface RunsTableActions {
  open(runId: string): void;
  compare(runIds: string[]): void;
  delete(runIds: string[]): void;
  rename(runId: string): void;
  export(runIds: string[], format: ExportFormat): void;
}

/** The kept runs change in bursts (Train all starts nine): the table is rebuilt once after them. */
const REFRESH_DELAY_MS = 250;

/**
 * The runs table: one panel listing every kept run, rebuilt when the runs change. Sorting,
 * filtering and the scatter happen in the page; opening, comparing, deleting, renaming and
 * exporting come back as validated messages.
 */
export class RunsTablePanel implements vscode.Disposable, vscode.WebviewPanelSerializer {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly store: RunStore,
    private readonly rows: RunRowsBuilder,
    private readonly actions: RunsTableActions,
  ) {
    this.subscriptions.push(
      vscode.window.registerWebviewPanelSerializer(RUNS_TABLE_VIEW_TYPE, this),
      store.onDidChange(() => this.refreshSoon()),
    );
  }

  show(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    this.attach(vscode.window.createWebviewPanel(RUNS_TABLE_VIEW_TYPE, 'Runs', vscode.ViewColumn.Active, pageOptions(this.extensionUri)));
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
    if (this.panel) {
      panel.dispose();
      return;
    }
    this.attach(panel);
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    panel.title = 'Runs';
    panel.webview.options = pageOptions(this.extensionUri);
    const listener = panel.webview.onDidReceiveMessage(raw => this.onMessage(parseTableMessage(raw)));
    panel.webview.html = pageHtml(panel.webview, this.extensionUri, 'runsTable', 'Runs');
    panel.onDidDispose(() => {
      listener.dispose();
      this.panel = undefined;
    });
  }

  private refreshSoon(): void {
    if (!this.panel || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.send();
    }, REFRESH_DELAY_MS);
  }

  private send(): void {
    if (!this.panel || !this.ready) return;
    const message: TableToWebview = { type: TableToWebviewType.SHOW_ROWS, rows: this.rows.rows(this.store.list()) };
    void this.panel.webview.postMessage(message);
  }

  private onMessage(m: TableFromWebview | undefined): void {
    if (!m) return;
    switch (m.type) {
      case TableFromWebviewType.READY:
        this.ready = true;
        this.send();
        break;
      case TableFromWebviewType.OPEN_RUN:
        this.actions.open(m.runId);
        break;
      case TableFromWebviewType.COMPARE:
        this.actions.compare(m.runIds);
        break;
      case TableFromWebviewType.DELETE:
        this.actions.delete(m.runIds);
        break;
      case TableFromWebviewType.RENAME:
        this.actions.rename(m.runId);
        break;
      case TableFromWebviewType.EXPORT:
        this.actions.export(m.runIds, m.format);
        break;
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscriptions.forEach(s => s.dispose());
    this.panel?.dispose();
  }
}
