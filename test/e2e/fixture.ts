/**
 * One real VS Code per e2e file: the fake endpoint, code-server with the built extension, Chromium
 * on the workbench. `useWorkbench()` registers the mocha hooks and hands back live handles.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { startFakeServer, type FakeServer, type RecordedRequest } from '../fakeServer/fakeServer';
import { startCodeServer, type RunningCodeServer } from '../support/codeServer';
import { chatPanel, ensurePanel, launchChromium, openWorkbench, pickQuickItem } from './workbench';

export interface ChatBody {
  model: string;
  stream: boolean;
  stream_options?: { include_usage?: boolean };
  messages: { role: string; content: string | { type: string; text?: string }[] }[];
  [param: string]: unknown;
}

export interface Workbench {
  server: FakeServer;
  vscode: RunningCodeServer;
  page: Page;
  settingsFile: string;
  userDataDir: string;
  panel(): FrameLocator;
  chatRequests(): RecordedRequest[];
  lastBody(): ChatBody;
  waitForRequests(count: number): Promise<void>;
  /** Opens the panel if needed, starts a new chat and forgets earlier requests. */
  newChat(): Promise<void>;
  /** Types into the composer and presses Enter. */
  ask(text: string): Promise<void>;
  /** History → the conversation whose first question is `question`; waits until the panel shows it. */
  openFromHistory(question: string): Promise<void>;
}

/** Settings for the workbench, or a function of the started fake server that returns them. */
export type WorkbenchSettings =
  | Record<string, unknown>
  | ((server: FakeServer) => Record<string, unknown> | Promise<Record<string, unknown>>);

export function useWorkbench(
  settings: WorkbenchSettings = {},
  options: { prepareWorkspace?: (dir: string) => void } = {},
): Workbench {
  let browser: Browser | undefined;
  const wb = {} as Workbench;

  before(async function () {
    this.timeout(600_000); // the first run installs code-server into the cache
    wb.server = await startFakeServer();
    wb.vscode = await startCodeServer({
      ...(options.prepareWorkspace ? { prepareWorkspace: options.prepareWorkspace } : {}),
      settings: {
        'relayChat.baseUrl': `${wb.server.url}/v1/`,
        'relayChat.model': 'fake-model',
        ...(typeof settings === 'function' ? await settings(wb.server) : settings),
      },
    });
    wb.userDataDir = join(wb.vscode.workspace, '..', 'user-data');
    wb.settingsFile = join(wb.userDataDir, 'User', 'settings.json');
    browser = await launchChromium();
    wb.page = await openWorkbench(browser, wb.vscode.folderUrl);
  });

  after(async () => {
    await browser?.close();
    await wb.vscode?.stop();
    await wb.server?.close();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb.page) {
      const file = join(process.env.RELAY_TEST_ARTIFACTS ?? '/tmp', `e2e-${Date.now()}.png`);
      await wb.page.screenshot({ path: file });
      console.log(`screenshot: ${file}\n${wb.vscode.output().slice(-3000)}`);
    }
  });

  wb.panel = () => chatPanel(wb.page);
  wb.chatRequests = () => wb.server.requests.filter((r) => r.path.endsWith('/chat/completions'));
  wb.lastBody = () => wb.chatRequests().at(-1)!.body as ChatBody;
  wb.waitForRequests = async (count) => {
    for (let i = 0; i < 200 && wb.chatRequests().length < count; i++)
      await new Promise((r) => setTimeout(r, 50));
    assert.equal(wb.chatRequests().length, count, 'chat requests received by the fake server');
  };
  wb.newChat = async () => {
    await ensurePanel(wb.page);
    await wb.panel().locator('[data-testid="new-chat"]').click();
    await wb
      .panel()
      .locator('[data-role="user"], [data-role="assistant"], [data-role="error"]')
      .first()
      .waitFor({ state: 'detached' });
    wb.server.reset();
  };
  wb.ask = async (text) => {
    await ensurePanel(wb.page);
    const composer = wb.panel().locator('textarea[data-testid="composer"]');
    await composer.fill(text);
    await composer.press('Enter');
  };
  wb.openFromHistory = async (question) => {
    await wb.panel().locator('[data-testid="history"]').click();
    await wb.page.locator('.quick-input-widget', { hasText: 'Conversations' }).waitFor({ timeout: 15_000 });
    await wb.page.keyboard.type(question);
    await pickQuickItem(wb.page, question);
    await wb.panel().locator('[data-role="user"]', { hasText: question }).waitFor({ timeout: 15_000 });
  };
  return wb;
}

/** Waits until a conversation file under the extension's global storage contains `text`. */
export async function savedConversationHolds(userDataDir: string, text: string): Promise<void> {
  const dir = join(userDataDir, 'User', 'globalStorage', 'relay-chat.relay-chat', 'conversations');
  const deadline = Date.now() + 30_000;
  for (;;) {
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
    if (files.some((f) => readFileSync(join(dir, f), 'utf8').includes(text))) return;
    if (Date.now() > deadline) throw new Error(`no saved conversation in ${dir} holds "${text}"`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
