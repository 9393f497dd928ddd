/**
 * The babysitting recipe (the walkthrough's experiment) copied from the extension into the
 * workspace: experiments may only read data inside the workspace, and a student edits the copy.
 * Files already there are never overwritten — the copy is theirs once made.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

/** The recipe and its data inside the extension (shipped in the .vsix, see .vscodeignore). */
const RECIPE_FILE = 'babysitting.experiment.json';
const RECIPE_DATA = path.join('data', 'fashion-mnist-slice');
/** Where it goes in the workspace folder. */
export const WORKSPACE_RECIPE_FOLDER = 'trainscope-recipe';

/**
 * Copies what is missing of the recipe into `<folder>/trainscope-recipe/` and opens the experiment.
 * Resolves to the experiment's URI, or undefined when no folder is open.
 */
export async function openRecipe(extensionUri: vscode.Uri): Promise<vscode.Uri | undefined> {
  const folder = await pickFolder();
  if (!folder) return undefined;
  const examples = path.join(extensionUri.fsPath, 'examples');
  const target = path.join(folder.uri.fsPath, WORKSPACE_RECIPE_FOLDER);
  const copies: [string, string][] = [[path.join(examples, RECIPE_FILE), path.join(target, RECIPE_FILE)]];
  for (const f of await fs.promises.readdir(path.join(examples, RECIPE_DATA))) {
    copies.push([path.join(examples, RECIPE_DATA, f), path.join(target, RECIPE_DATA, f)]);
  }
  for (const [from, to] of copies) {
    await fs.promises.mkdir(path.dirname(to), { recursive: true });
    // COPYFILE_EXCL: a file the student already has (perhaps edited) stays as it is.
    await fs.promises.copyFile(from, to, fs.constants.COPYFILE_EXCL).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
  }
  const experiment = vscode.Uri.file(path.join(target, RECIPE_FILE));
  await vscode.window.showTextDocument(experiment, { preview: false });
  return experiment;
}

async function pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    const pick = await vscode.window.showErrorMessage('Open a folder first: the recipe and its data are copied into the workspace.', 'Open Folder');
    if (pick === 'Open Folder') await vscode.commands.executeCommand('workbench.action.files.openFolder');
    return undefined;
  }
  return folders.length === 1 ? folders[0] : vscode.window.showWorkspaceFolderPick({ placeHolder: 'Copy the babysitting recipe into which folder?' });
}
