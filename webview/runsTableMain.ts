/** The runs table page: READY, then the host's rows (contract/compare.ts); actions go back as messages. */
import { TableFromWebviewType, TableToWebviewType, type TableFromWebview, type TableToWebview } from '../contract/compare';
import { pageApi } from './pageApi';
import { RunsTableView } from './runsTableView';
import { watchTheme } from './theme';

const api = pageApi<TableFromWebview, Record<string, never>>();
const view = new RunsTableView(document.getElementById('app')!, {
  open: runId => api.postMessage({ type: TableFromWebviewType.OPEN_RUN, runId }),
  compare: runIds => api.postMessage({ type: TableFromWebviewType.COMPARE, runIds }),
  delete: runIds => api.postMessage({ type: TableFromWebviewType.DELETE, runIds }),
  rename: runId => api.postMessage({ type: TableFromWebviewType.RENAME, runId }),
  exportAs: (runIds, format) => api.postMessage({ type: TableFromWebviewType.EXPORT, runIds, format }),
});

window.addEventListener('message', (event: MessageEvent<TableToWebview>) => {
  const m = event.data;
  if (m?.type === TableToWebviewType.SHOW_ROWS && Array.isArray(m.rows)) view.setRows(m.rows);
});

watchTheme(() => view.themeChanged());
api.postMessage({ type: TableFromWebviewType.READY });
