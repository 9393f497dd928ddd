/**
 * Fashion-MNIST from Debian's dataset-fashion-mnist package, copied into the workspace: experiment
 * files may only read data inside the workspace (a link out of it is refused like any other path),
 * so the files are copied, once, next to the experiments that use them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { copyTargetFor, DEBIAN_FASHION_MNIST, idxFileNames, INSTALL_FASHION_MNIST as INSTALL } from '../../engine/prepare/debianFashionMnist';

/** Where in the workspace the copy goes (the examples' paths point there). */
export const WORKSPACE_FASHION_MNIST = 'data/fashion-mnist';

/**
 * Copies the Debian files into `target` — by default `<folder>/data/fashion-mnist/` (files already
 * there with the same size are kept). Resolves to the target folder, or undefined when there is
 * nothing to copy from or the user cancelled.
 */
export async function copyFashionMnist(source = DEBIAN_FASHION_MNIST, into?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const files = idxFileNames(source);
  if (files.length === 0) {
    const pick = await vscode.window.showErrorMessage(
      `Fashion-MNIST is not installed on this machine (no IDX files in ${source}). On Debian or Ubuntu: ${INSTALL}`,
      'Copy Command',
    );
    if (pick === 'Copy Command') await vscode.env.clipboard.writeText(INSTALL);
    return undefined;
  }
  const folder = into ? vscode.workspace.getWorkspaceFolder(into) : await pickWorkspaceFolder();
  if (!folder) return undefined;
  const target = into ?? vscode.Uri.joinPath(folder.uri, ...WORKSPACE_FASHION_MNIST.split('/'));
  const shown = path.relative(folder.uri.fsPath, target.fsPath) || '.';
  const bytes = files.reduce((sum, f) => sum + fs.statSync(path.join(source, f)).size, 0);
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Copying Fashion-MNIST (${(bytes / 1e6).toFixed(0)} MB) into ${shown}/`, cancellable: true },
    async (progress, token) => {
      await fs.promises.mkdir(target.fsPath, { recursive: true });
      for (const f of files) {
        if (token.isCancellationRequested) return;
        const from = path.join(source, f);
        const to = path.join(target.fsPath, f);
        const existing = await fs.promises.stat(to).catch(() => undefined);
        if (existing?.size !== fs.statSync(from).size) await fs.promises.copyFile(from, to);
        progress.report({ message: f, increment: 100 / files.length });
      }
    },
  );
  void vscode.window.showInformationMessage(`Fashion-MNIST is in ${path.join(folder.name, shown)}: ${files.join(', ')}.`);
  return target;
}

async function pickWorkspaceFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    void vscode.window.showErrorMessage('Open a folder first: the data is copied into the workspace.');
    return undefined;
  }
  return folders.length === 1 ? folders[0] : vscode.window.showWorkspaceFolderPick({ placeHolder: 'Copy Fashion-MNIST into which folder?' });
}

/**
 * The folder to copy Fashion-MNIST into for an experiment whose data file `relative` (as written in
 * the experiment) is missing, when that file is one of the Debian package's (by name), the package
 * is installed and the folder is inside the workspace; else undefined.
 */
export function fashionMnistTargetFor(relative: string, experiment: vscode.Uri, source = DEBIAN_FASHION_MNIST): vscode.Uri | undefined {
  const folder = copyTargetFor(path.resolve(path.dirname(experiment.fsPath), relative), source);
  const target = folder === undefined ? undefined : vscode.Uri.file(folder);
  return target && vscode.workspace.getWorkspaceFolder(target) ? target : undefined;
}
