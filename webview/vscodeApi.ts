import type { MessageFromWebview, RunSnapshot } from '../contract/messages';

/** What the page keeps across being hidden and shown again (VS Code's webview state). */
export interface SavedState {
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
