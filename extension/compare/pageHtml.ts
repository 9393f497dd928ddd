import * as vscode from 'vscode';
import { bundleText, strictPage, webviewOptions } from '../webview/html';

/** The pages of the comparison and of the runs table: each its own bundle in dist/. */
export type PageBundle = 'compare' | 'runsTable';

/** The comparison's or the runs table's page: the dashboard's styles plus the comparison's own. */
export function pageHtml(webview: vscode.Webview, extensionUri: vscode.Uri, bundle: PageBundle, title: string): string {
  return strictPage(webview, {
    script: bundleText(extensionUri, `${bundle}.js`, 'script'),
    style: bundleText(extensionUri, 'webview.css', 'style') + bundleText(extensionUri, 'compare.css', 'style'),
    title,
    body: { view: bundle },
  });
}

/** As the dashboard's (only the built bundle loads); a hidden page is rebuilt from the host's state. */
export function pageOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return { ...webviewOptions(extensionUri), retainContextWhenHidden: false };
}
