import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as vscode from 'vscode';

export type DashboardView = 'panel' | 'sidebar';

/** The page's script and style, read once: they are put into the page itself (see dashboardHtml). */
let bundle: { script: string; style: string } | undefined;

function readBundle(extensionUri: vscode.Uri): { script: string; style: string } {
  const read = (name: string): string => fs.readFileSync(vscode.Uri.joinPath(extensionUri, 'dist', name).fsPath, 'utf8');
  // A "</script" inside the script would end the element early (esbuild writes none; make sure).
  bundle ??= { script: read('webview.js').replace(/<\/(script)/gi, '<\\/$1'), style: read('webview.css').replace(/<\/(style)/gi, '<\\/$1') };
  return bundle;
}

/**
 * The dashboard page. Strict CSP: nothing loads unless listed; scripts and styles run only with this
 * page's nonce (no inline handlers, no eval). The script and style are written into the page rather
 * than loaded from the extension's folder: a webview fetches its resources through VS Code's
 * service worker and the remote connection, which costs a reopened run's panel most of a second.
 */
export function dashboardHtml(webview: vscode.Webview, extensionUri: vscode.Uri, view: DashboardView): string {
  const nonce = randomBytes(16).toString('base64');
  const { script, style } = readBundle(extensionUri);
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${nonce}">${style}</style>
<title>Trainscope</title>
</head>
<body data-view="${view}" data-status="none">
<main id="app"><p class="empty">Loading…</p></main>
<script nonce="${nonce}">${script}</script>
</body>
</html>`;
}

/** Webviews may load only the built bundle (dist/) — nothing else from the extension or disk. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] };
}
