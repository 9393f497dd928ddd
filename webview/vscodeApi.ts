import type { MessageFromWebview } from '../contract/messages';
import type { SavedState } from './savedState';

interface VsCodeApi {
  postMessage(message: MessageFromWebview): void;
  getState(): SavedState | undefined;
  setState(state: SavedState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** acquireVsCodeApi may be called once per page. */
export const vscodeApi: VsCodeApi = acquireVsCodeApi();
