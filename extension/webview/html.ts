import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as vscode from 'vscode';

export type DashboardView = 'panel' | 'sidebar';

/** The bundles' texts, read once each: they are put into the pages themselves (see strictPage). */
const bundles = new Map<string, string>();

/** A built file of dist/, made safe to write inside its `<script>` or `<style>` element. */
export function bundleText(extensionUri: vscode.Uri, name: string, element: 'script' | 'style'): string {
  let text = bundles.get(name);
  if (text === undefined) {
    // A "</script" inside the script would end the element early (esbuild writes none; make sure).
    text = fs.readFileSync(vscode.Uri.joinPath(extensionUri, 'dist', name).fsPath, 'utf8').replace(new RegExp(`</(${element})`, 'gi'), '<\\/$1');
    bundles.set(name, text);
  }
  return text;
}

/**
 * A page of ours. Strict CSP: nothing loads unless listed; scripts and styles run only with this
 * page's nonce (no inline handlers, no eval). The script and style are written into the page rather
 * than loaded from the extension's folder: a webview fetches its resources through VS Code's
 * service worker and the remote connection, which costs a reopened run's panel most of a second.
 */
export function strictPage(webview: vscode.Webview, page: { script: string; style: string; title: string; body: Record<string, string> }): string {
  const nonce = randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const body = Object.entries(page.body)
    .map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`)
    .join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${nonce}">${page.style}</style>
<title>${escapeHtml(page.title)}</title>
</head>
<body${body}>
<main id="app"><p class="empty">Loading…</p></main>
<script nonce="${nonce}">${page.script}</script>
</body>
</html>`;
}

/** The dashboard page (the run panel and the side view). */
export function dashboardHtml(webview: vscode.Webview, extensionUri: vscode.Uri, view: DashboardView): string {
  return strictPage(webview, {
    script: bundleText(extensionUri, 'webview.js', 'script'),
    style: bundleText(extensionUri, 'webview.css', 'style'),
    title: 'Trainscope',
    body: { view, status: 'none' },
  });
}

/** Webviews may load only the built bundle (dist/) — nothing else from the extension or disk. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
}
