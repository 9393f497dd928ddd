import * as vscode from 'vscode';
import {
  MessageFromWebviewType,
  MessageToWebviewType,
  parseMessageFromWebview,
  type MessageFromWebview,
  type MessageToWebview,
} from '../../contract/messages';
import type { Run } from '../runs/run';

export interface RunWebviewActions {
  stop(runId: string): void;
  trainAgain(runId: string): void;
  openExperiment(runId: string): void;
}

/**
 * Connects one webview (panel or side view) to whichever run it shows. Waits for the page's READY
 * handshake before sending anything, then sends a snapshot and streams the run's changes as deltas.
 * Incoming messages are validated against the contract; anything malformed is ignored.
 */
export class RunWebview implements vscode.Disposable {
  private ready = false;
  private run: Run | undefined;
  private runSubscription: vscode.Disposable | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly webview: vscode.Webview,
    private readonly actions: RunWebviewActions,
  ) {
    this.subscriptions.push(webview.onDidReceiveMessage(raw => this.onMessage(parseMessageFromWebview(raw))));
  }

  get shownRun(): Run | undefined {
    return this.run;
  }

  show(run: Run | undefined): void {
    this.runSubscription?.dispose();
    this.run = run;
    this.runSubscription = run?.onDidChange(change => {
      if (change.kind === 'records') {
        this.post({ type: MessageToWebviewType.APPEND_RECORDS, runId: run.id, records: change.records });
      } else {
        this.post({
          type: MessageToWebviewType.UPDATE_RUN,
          runId: run.id,
          state: run.state,
          header: run.header,
          summary: run.summary,
          error: run.error,
        });
      }
    });
    this.post({ type: MessageToWebviewType.SHOW_RUN, run: run?.snapshot() });
  }

  /** After the page reloads (e.g. the view was hidden and shown again) it sends READY anew. */
  private onMessage(m: MessageFromWebview | undefined): void {
    if (!m) {
      return;
    }
    switch (m.type) {
      case MessageFromWebviewType.READY:
        this.ready = true;
        this.post({ type: MessageToWebviewType.SHOW_RUN, run: this.run?.snapshot() });
        break;
      case MessageFromWebviewType.STOP_RUN:
        this.actions.stop(m.runId);
        break;
      case MessageFromWebviewType.TRAIN_AGAIN:
        this.actions.trainAgain(m.runId);
        break;
      case MessageFromWebviewType.OPEN_EXPERIMENT:
        this.actions.openExperiment(m.runId);
        break;
    }
  }

  private post(message: MessageToWebview): void {
    if (this.ready) {
      void this.webview.postMessage(message);
    }
  }

  /** The page is being replaced (new html): wait for its READY again. */
  resetHandshake(): void {
    this.ready = false;
  }

  dispose(): void {
    this.runSubscription?.dispose();
    this.subscriptions.forEach(s => s.dispose());
  }
}
