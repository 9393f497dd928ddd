import type { MessageFromWebview, RunSnapshot } from '../contract/messages';

/** What the page keeps across being hidden and shown again (VS Code's webview state). */
export interface SavedState {
  /** The run shown; VS Code hands it to the host when it restores the panel after a reload. */
  runId?: string;
  /** What was drawn, to redraw at once when the page is recreated (small runs only). */
  run?: RunSnapshot;
}

interface VsCodeApi {
  postMessage(message: MessageFromWebview): void;
  getState(): SavedState | undefined;
  setState(state: SavedState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** acquireVsCodeApi may be called once per page. */
export const vscodeApi: VsCodeApi = acquireVsCodeApi();
