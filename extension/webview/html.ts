import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export type DashboardView = 'panel' | 'sidebar';

/**
 * The dashboard page. Strict CSP: nothing loads unless listed; scripts run only with this page's
 * nonce (no inline handlers, no eval); styles and fonts only from the extension's bundle.
 */
export function dashboardHtml(webview: vscode.Webview, extensionUri: vscode.Uri, view: DashboardView): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (name: string): vscode.Uri => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', name));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('webview.css')}">
<title>Trainscope</title>
</head>
<body data-view="${view}" data-status="none">
<main id="app"><p class="empty">Loading…</p></main>
<script nonce="${nonce}" src="${asset('webview.js')}"></script>
</body>
</html>`;
}

/** Webviews may load only the built bundle (dist/) — nothing else from the extension or disk. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] };
}
