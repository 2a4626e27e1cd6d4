import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { WEBVIEW_STRINGS, type WebviewStringKey } from '../../common/panel/webviewStrings';

/**
 * The panel's HTML: a strict CSP where only our nonce'd entry module and the chunks it imports from
 * the extension's own files run (the grammars are imported on demand and carry no nonce); no
 * inline script, no eval, nothing fetched remotely.
 */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'main.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'chat.css'));
  const codicons = webview.asWebviewUri(
    vscode.Uri.joinPath(extensionUri, 'media', 'codicons', 'codicon.css'),
  );
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}' ${webview.cspSource}`,
  ].join('; ');
  const lang = vscode.env.language;
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${codicons}">
<link rel="stylesheet" href="${style}">
<title>Relay Chat</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" id="relay-l10n" type="application/json">${JSON.stringify(webviewStrings()).replace(/</g, '\\u003c')}</script>
<script type="module" nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

/** The webview's labels, translated on the host with the same l10n bundle. */
function webviewStrings(): Record<WebviewStringKey, string> {
  const entries = Object.entries(WEBVIEW_STRINGS) as [WebviewStringKey, string][];
  // Without arguments vscode.l10n.t leaves {0} placeholders for the webview to fill.
  return Object.fromEntries(entries.map(([key, english]) => [key, vscode.l10n.t(english)])) as Record<
    WebviewStringKey,
    string
  >;
}
