import { execFile, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import * as vscode from 'vscode';
import { captureArgv, planCapture, type CapturePlan } from '../../common/images/captureTools';
import type { ImageComposer } from './imageComposer';

/** "Relay Chat: Capture Screenshot": the platform's own tool; the capture lands in the composer. */
export async function captureScreenshot(
  composer: ImageComposer,
  focusPanel: () => Thenable<unknown>,
): Promise<void> {
  const plan = planCapture({
    platform: process.platform,
    env: process.env,
    has: onPath,
    remoteName: vscode.env.remoteName,
    web: vscode.env.uiKind === vscode.UIKind.Web,
  });
  if (plan.kind === 'remote') {
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        'Relay Chat cannot reach your screen from here ({0}): take a screenshot with your own tool and paste it into the chat with Ctrl+V (Cmd+V on macOS).',
        plan.where,
      ),
    );
    return;
  }
  if (plan.kind === 'noTool') {
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        'Relay Chat found no screenshot tool. Install {0}, or take a screenshot another way and paste it into the chat with Ctrl+V.',
        plan.install,
      ),
    );
    return;
  }
  const file = join(tmpdir(), `relay-chat-capture-${Date.now()}.png`);
  try {
    const bytes = plan.viaClipboard ? await captureViaClipboard(plan, file) : await captureToFile(plan, file);
    if (!bytes?.byteLength) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No screenshot was taken.'));
      return;
    }
    await focusPanel();
    await composer.addImages(
      [{ name: 'screenshot.png', type: 'image/png', base64: Buffer.from(bytes).toString('base64') }],
      '',
      false,
    );
  } catch (err) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t(
        'Relay Chat: {0} failed: {1}',
        plan.tool,
        err instanceof Error ? err.message : String(err),
      ),
    );
  } finally {
    await rm(file, { force: true });
  }
}

function onPath(command: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // Not in this folder.
    }
  }
  return false;
}

/** Runs the tool and reads what it wrote; undefined when the user cancelled (no file). */
function captureToFile(plan: CapturePlan, file: string): Promise<Uint8Array | undefined> {
  const [command, ...args] = captureArgv(plan, file);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => {
      readFile(file).then(resolve, () => resolve(undefined));
    });
  });
}

const CLIPBOARD_PNG = (file: string) =>
  `Add-Type -AssemblyName System.Windows.Forms; Add-Type -AssemblyName System.Drawing; ` +
  `$f = '${file.replace(/'/g, "''")}'; $i = [Windows.Forms.Clipboard]::GetImage(); ` +
  `if ($i) { $i.Save($f, [System.Drawing.Imaging.ImageFormat]::Png); (Get-FileHash -Algorithm MD5 $f).Hash }`;

/** Windows: the Snipping Tool's overlay puts the capture on the clipboard; wait for a new image there. */
async function captureViaClipboard(plan: CapturePlan, file: string): Promise<Uint8Array | undefined> {
  const before = await readClipboardImage(file);
  await rm(file, { force: true });
  const [command, ...args] = captureArgv(plan, file);
  spawn(command, args, { stdio: 'ignore', detached: true }).unref();
  for (let i = 0; i < 120; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = await readClipboardImage(file);
    if (now && now !== before) return readFile(file);
  }
  return undefined;
}

function readClipboardImage(file: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('powershell.exe', ['-NoProfile', '-STA', '-Command', CLIPBOARD_PNG(file)], (err, stdout) =>
      resolve(err ? undefined : stdout.trim() || undefined),
    );
  });
}
