/**
 * The run dashboard page (panel and side view). Restores what it showed from saved state at once,
 * then tells the host it is READY and follows the host's messages (see contract/messages.ts).
 */
import { MessageFromWebviewType, MessageToWebviewType, type MessageToWebview } from '../contract/messages';
import { Dashboard } from './dashboard';
import { vscodeApi } from './vscodeApi';

/** Saved state larger than this is not worth keeping: the host resends the run after READY anyway. */
const MAX_SAVED_RECORDS = 5000;

const view = document.body.dataset.view === 'sidebar' ? 'sidebar' : 'panel';
const dashboard = new Dashboard(document.getElementById('app')!, view, {
  stop: runId => vscodeApi.postMessage({ type: MessageFromWebviewType.STOP_RUN, runId }),
  trainAgain: runId => vscodeApi.postMessage({ type: MessageFromWebviewType.TRAIN_AGAIN, runId }),
  openExperiment: runId => vscodeApi.postMessage({ type: MessageFromWebviewType.OPEN_EXPERIMENT, runId }),
});

const saved = vscodeApi.getState();
if (saved?.run) {
  dashboard.show(saved.run);
}

let saveTimer: ReturnType<typeof setTimeout> | undefined;
function save(): void {
  const run = dashboard.snapshot;
  // Probe records are kilobytes each and the host resends everything after READY: the saved copy
  // only has to redraw the curves at once, so it keeps the small records.
  const small = run?.records.filter(r => r.kind !== 'probe');
  vscodeApi.setState({
    runId: run?.runId,
    run: run && small && small.length <= MAX_SAVED_RECORDS ? { ...run, records: small } : undefined,
  });
}
/** Records arrive many times a second: save at most once a second. */
function saveSoon(): void {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(save, 1000);
}

window.addEventListener('message', (event: MessageEvent<MessageToWebview>) => {
  const m = event.data;
  switch (m.type) {
    case MessageToWebviewType.SHOW_RUN:
      dashboard.show(m.run);
      save();
      break;
    case MessageToWebviewType.APPEND_RECORDS:
      dashboard.append(m.runId, m.records);
      break;
    case MessageToWebviewType.UPDATE_RUN:
      dashboard.updateRun({ runId: m.runId, state: m.state, header: m.header, summary: m.summary, error: m.error });
      break;
  }
  saveSoon();
});

vscodeApi.postMessage({ type: MessageFromWebviewType.READY });
