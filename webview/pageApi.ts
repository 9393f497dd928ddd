/**
 * The comparison's and the runs table's handle on VS Code (each page is its own bundle, so each
 * calls acquireVsCodeApi once, here), typed with that page's messages.
 */
export interface PageApi<Message, State> {
  postMessage(message: Message): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi(): PageApi<unknown, unknown>;

let api: PageApi<unknown, unknown> | undefined;

export function pageApi<Message, State>(): PageApi<Message, State> {
  api ??= acquireVsCodeApi();
  return api as PageApi<Message, State>;
}
