/**
 * `npm start`: builds the extension and opens it in a real VS Code in the browser (code-server on
 * 127.0.0.1) with the sample workspace. Uses RELAY_CHAT_BASE_URL / RELAY_CHAT_MODEL when given;
 * otherwise starts the local demo server so the panel answers out of the box.
 * Set the API key inside VS Code with "Relay Chat: Set API Key" (it persists between runs).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sse, startFakeServer } from '../test/fakeServer/fakeServer';
import { REPO_ROOT, startCodeServer, testCacheDir } from '../test/support/codeServer';

const DEMO =
  'This answer comes from the **Relay Chat demo server** on 127.0.0.1, not a real model.\n\n' +
  'Set `relayChat.baseUrl` and `relayChat.model` (and run *Relay Chat: Set API Key*) to talk to your endpoint, ' +
  'or restart with `RELAY_CHAT_BASE_URL=https://host/v1 RELAY_CHAT_MODEL=name npm start`.\n\n' +
  '```ts\nconst greeting: string = "你好, Relay Chat";\nconsole.log(greeting);\n```\n';

async function main(): Promise<void> {
  if (spawnSync(process.execPath, ['esbuild.js'], { cwd: REPO_ROOT, stdio: 'inherit' }).status !== 0)
    process.exit(1);

  let baseUrl = process.env.RELAY_CHAT_BASE_URL;
  const model = process.env.RELAY_CHAT_MODEL ?? (baseUrl ? undefined : 'demo-model');
  let demo: Awaited<ReturnType<typeof startFakeServer>> | undefined;
  if (!baseUrl) {
    demo = await startFakeServer();
    demo.setFallback({
      body: sse(DEMO, { pieceSize: 3, reasoning: 'The user wants to see a demo answer.' }),
      delayMs: 20,
      chunkSize: 200,
    });
    baseUrl = demo.baseUrl;
  }

  const userDataDir = join(testCacheDir(), 'start-user-data');
  mkdirSync(userDataDir, { recursive: true });
  const port = Number(process.env.PORT ?? 0) || undefined;
  const vscode = await startCodeServer({
    userDataDir,
    port,
    settings: { 'relayChat.baseUrl': baseUrl, ...(model ? { 'relayChat.model': model } : {}) },
  });
  // The URL is printed only once the workbench page itself answers, and it is the last line.
  const page = await fetch(vscode.folderUrl).catch((err: unknown) => err as Error);
  if (page instanceof Error || !page.ok) {
    console.error(
      `VS Code started but its workbench page did not answer: ${page instanceof Error ? page.message : `HTTP ${page.status}`}\n${vscode.output().slice(-2000)}`,
    );
    await vscode.stop();
    await demo?.close();
    process.exit(1);
  }
  if (demo) console.log(`No RELAY_CHAT_BASE_URL given: the panel answers from the demo server (${baseUrl}).`);
  console.log('Ctrl+C to stop.');
  console.log(`Relay Chat is running in VS Code: ${vscode.folderUrl}`);

  const stop = async () => {
    await vscode.stop();
    await demo?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  vscode.process.once('exit', (code) => {
    console.error(`code-server exited (${code})\n${vscode.output().slice(-2000)}`);
    process.exit(1);
  });
}

void main();
