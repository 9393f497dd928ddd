import * as vscode from 'vscode';
import { exportBytes, type ExportImage } from '../../contract/messages';

/**
 * Saves a chart a page exported (a validated EXPORT_IMAGE message): asks where with a save dialog,
 * offering `<run>-<chart>.<png|svg>` in `folder`, writes the file and says where it went. Returns
 * the file written, or undefined when the user cancelled or writing failed (then it says why).
 */
export async function saveExportedImage(m: ExportImage, folder: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  const name = `${m.runId}-${m.chart}.${m.format}`;
  const target = await vscode.window.showSaveDialog({
    title: `Save the chart as ${m.format.toUpperCase()}`,
    saveLabel: 'Save',
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: m.format === 'png' ? { 'PNG image': ['png'] } : { 'SVG image': ['svg'] },
  });
  if (!target) {
    return undefined;
  }
  try {
    await vscode.workspace.fs.writeFile(target, exportBytes(m));
  } catch (e) {
    void vscode.window.showErrorMessage(`Could not save ${target.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
  void vscode.window.showInformationMessage(`Saved the chart to ${vscode.workspace.asRelativePath(target)}`);
  return target;
}
