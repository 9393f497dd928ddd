import * as assert from 'node:assert';
import * as vscode from 'vscode';
import type { TrainscopeApi } from '../../extension/extension';

export const sleep = (ms: number): Promise<void> => new Promise(r => setTimeout(r, ms));

export async function waitFor<T>(fn: () => T | undefined | false | Promise<T | undefined | false>, what: string, ms = 30000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) {
      return v;
    }
    if (Date.now() > end) {
      throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    }
    await sleep(100);
  }
}

export async function activateExtension(): Promise<TrainscopeApi> {
  const ext = vscode.extensions.getExtension<TrainscopeApi>('trainscope.trainscope');
  assert.ok(ext, 'extension trainscope.trainscope is installed');
  return ext.activate();
}

export function workspaceUri(...segments: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

export async function writeWorkspaceFile(relative: string, text: string): Promise<vscode.Uri> {
  const uri = workspaceUri(relative);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

/** Diagnostics from Trainscope for a file, once at least `min` are there. */
export async function trainscopeDiagnostics(uri: vscode.Uri, min = 1, ms = 15000): Promise<vscode.Diagnostic[]> {
  return waitFor(() => {
    const d = vscode.languages.getDiagnostics(uri).filter(x => x.source === 'Trainscope');
    return d.length >= min ? d : undefined;
  }, `${min} Trainscope diagnostic(s) on ${uri.path}`, ms);
}

/** An error notification the extension showed: its text and its buttons. */
export interface ShownError {
  message: string;
  items: string[];
}

/**
 * Records the error notifications shown while `fn` runs, dismissing each (no button chosen). The
 * test bundle lies inside the extension's folder, so it shares the extension's `vscode` object and
 * the extension's calls come here.
 */
export async function recordingErrorMessages(fn: () => Promise<void>): Promise<ShownError[]> {
  const shown: ShownError[] = [];
  const original = vscode.window.showErrorMessage;
  const record = (message: string, ...rest: unknown[]): Thenable<undefined> => {
    shown.push({ message, items: rest.filter((r): r is string => typeof r === 'string') });
    return Promise.resolve(undefined);
  };
  (vscode.window as { showErrorMessage: unknown }).showErrorMessage = record;
  try {
    await fn();
  } finally {
    (vscode.window as { showErrorMessage: unknown }).showErrorMessage = original;
  }
  return shown;
}
