import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as vscode from 'vscode';

/** The pages of the comparison and of the runs table: each its own bundle in dist/. */
export type PageBundle = 'compare' | 'runsTable';

const bundles = new Map<string, string>();

function read(extensionUri: vscode.Uri, name: string, closing: 'script' | 'style'): string {
  let text = bundles.get(name);
  if (text === undefined) {
    text = fs.readFileSync(vscode.Uri.joinPath(extensionUri, 'dist', name).fsPath, 'utf8');
    // A "</script" inside the script would end the element early (esbuild writes none; make sure).
    text = text.replace(new RegExp(`</(${closing})`, 'gi'), '<\\/$1');
    bundles.set(name, text);
  }
  return text;
}

/**
 * A page with a strict CSP: nothing loads unless listed, scripts and styles run only with this
 * page's nonce (no inline handlers, no eval). As for the run dashboard (webview/html.ts), the
 * bundle is written into the page rather than fetched through VS Code's resource service.
 */
export function pageHtml(webview: vscode.Webview, extensionUri: vscode.Uri, bundle: PageBundle, title: string): string {
  const nonce = randomBytes(16).toString('base64');
  const script = read(extensionUri, `${bundle}.js`, 'script');
  const style = read(extensionUri, 'webview.css', 'style') + read(extensionUri, 'compare.css', 'style');
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
<title>${escapeHtml(title)}</title>
</head>
<body data-view="${bundle}">
<main id="app"><p class="empty">Loading…</p></main>
<script nonce="${nonce}">${script}</script>
</body>
</html>`;
}

/** Webviews may load only the built bundle (dist/): nothing else from the extension or the disk. */
export function pageOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')], retainContextWhenHidden: false };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
}
