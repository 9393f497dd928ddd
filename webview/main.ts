/**
 * The run dashboard page (panel and side view). Restores what it showed from saved state at once,
 * then tells the host it is READY and follows the host's messages (see contract/messages.ts).
 */
import { MessageFromWebviewType, MessageToWebviewType, type MessageToWebview } from '../contract/messages';
import { isDigestDelta } from '../contract/series';
import { Dashboard } from './dashboard';
import { restoredSnapshot, saveState } from './savedState';
import { vscodeApi } from './vscodeApi';

/** The saved copy is refreshed at most this often (it is for redrawing at once, not a record). */
const SAVE_EVERY_MS = 2000;

// When the page's script started, when the host's snapshot came, when charts were first drawn:
// the end-to-end tests time a run's reopening from them.
document.body.dataset.scriptAt = String(Date.now());
const view = document.body.dataset.view === 'sidebar' ? 'sidebar' : 'panel';
const dashboard = new Dashboard(document.getElementById('app')!, view, {
  stop: runId => vscodeApi.postMessage({ type: MessageFromWebviewType.STOP_RUN, runId }),
  trainAgain: runId => vscodeApi.postMessage({ type: MessageFromWebviewType.TRAIN_AGAIN, runId }),
  openExperiment: runId => vscodeApi.postMessage({ type: MessageFromWebviewType.OPEN_EXPERIMENT, runId }),
  requestDetail: (runId, r) => vscodeApi.postMessage({ type: MessageFromWebviewType.DETAIL_REQUEST, runId, ...r }),
  exportImage: (runId, chart, format, data) => vscodeApi.postMessage({ type: MessageFromWebviewType.EXPORT_IMAGE, runId, chart, format, data }),
});

const restored = restoredSnapshot(vscodeApi.getState());
if (restored) {
  dashboard.show(restored, true);
}

let saveTimer: ReturnType<typeof setTimeout> | undefined;
function save(): void {
  saveTimer = undefined;
  vscodeApi.setState(saveState(dashboard.shown));
}
function saveSoon(): void {
  saveTimer ??= setTimeout(save, SAVE_EVERY_MS);
}

window.addEventListener('message', (event: MessageEvent<MessageToWebview>) => {
  const m = event.data;
  switch (m.type) {
    case MessageToWebviewType.SHOW_RUN:
      if (m.run === undefined || isDigestDelta(m.run.digest)) {
        document.body.dataset.snapshotAt = String(Date.now());
        dashboard.show(m.run);
        save();
      }
      break;
    case MessageToWebviewType.APPEND_DELTA:
      if (isDigestDelta(m.delta)) {
        dashboard.applyDelta(m.runId, m.delta);
      }
      break;
    case MessageToWebviewType.UPDATE_RUN:
      dashboard.updateRun({ runId: m.runId, state: m.state, header: m.header, summary: m.summary, error: m.error });
      save();
      break;
    case MessageToWebviewType.DETAIL:
      dashboard.detailArrived(m.runId, m.requestId, m.from, m.to, m.width, m.series);
      break;
  }
  saveSoon();
});

vscodeApi.postMessage({ type: MessageFromWebviewType.READY });
