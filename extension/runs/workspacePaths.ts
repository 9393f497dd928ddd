import * as path from 'node:path';
import * as vscode from 'vscode';

/** The folder where runs of experiments in `folder` are kept (setting `trainscope.runsDirectory`). */
export function runsDirectory(folder: vscode.WorkspaceFolder): string {
  const configured = vscode.workspace.getConfiguration('trainscope', folder.uri).get<string>('runsDirectory') || '.trainscope/runs';
  return path.resolve(folder.uri.fsPath, configured);
}

/** Every runs directory of the open workspace (one per folder). */
export function allRunsDirectories(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).map(runsDirectory);
}
