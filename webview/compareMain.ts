/**
 * The comparison page. Tells the host it is READY and follows its messages (contract/compare.ts);
 * keeps the compared runs' ids and title in VS Code's state, so the panel comes back after a
 * window reload.
 */
import { CompareFromWebviewType, CompareToWebviewType, type CompareFromWebview, type CompareToWebview } from '../contract/compare';
import { MessageFromWebviewType } from '../contract/messages';
import { CompareView } from './compareView';
import { pageApi } from './pageApi';
import { watchTheme } from './theme';

interface CompareState {
  runIds: string[];
  title: string;
}

const api = pageApi<CompareFromWebview, CompareState>();
const view = new CompareView(document.getElementById('app')!, {
  openRun: runId => api.postMessage({ type: CompareFromWebviewType.OPEN_RUN, runId }),
  exportAs: format => api.postMessage({ type: CompareFromWebviewType.EXPORT, format }),
  exportImage: (runId, chart, format, data) => api.postMessage({ type: MessageFromWebviewType.EXPORT_IMAGE, runId, chart, format, data }),
});

const save = (): void => api.setState({ runIds: view.runIds, title: view.title });

window.addEventListener('message', (event: MessageEvent<CompareToWebview>) => {
  const m = event.data;
  switch (m?.type) {
    case CompareToWebviewType.SHOW_COMPARISON:
      view.show(m.title, m.runs);
      save();
      break;
    case CompareToWebviewType.RUNS_ADDED:
      view.add(m.runs, m.labels);
      save();
      break;
    case CompareToWebviewType.APPEND_SERIES:
      view.append(m.series);
      break;
    case CompareToWebviewType.RUN_UPDATED:
      view.update(m.runId, m.state, m.summary, m.stop);
      break;
  }
});

watchTheme(() => view.themeChanged());
// The benchmark and the end-to-end tests read the charts' draw times from here.
(window as unknown as { trainscopeDrawTimes: () => number[] }).trainscopeDrawTimes = () => view.drawTimes();
api.postMessage({ type: CompareFromWebviewType.READY });
