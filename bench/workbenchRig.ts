/** What the benches that drive a real workbench share: the build they measure, and a new chat. */
import { spawnSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import type { FakeServer } from '../test/fakeServer/fakeServer';
import { REPO_ROOT } from '../test/support/codeServer';
import { chatPanel, ensurePanel } from '../test/e2e/workbench';

/** The production build, unless `RELAY_BENCH_NO_BUILD=1` asks to measure whatever dist/ holds. */
export function buildForBench(): void {
  if (process.env.RELAY_BENCH_NO_BUILD) return;
  const built = spawnSync(process.execPath, ['esbuild.js', '--production'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  if (built.status !== 0) throw new Error('node esbuild.js --production failed');
}

/** New Chat in the panel, and the fake endpoint forgets what it was asked. */
export async function newChat(page: Page, server: FakeServer): Promise<void> {
  await ensurePanel(page);
  const panel = chatPanel(page);
  await panel.locator('[data-testid="new-chat"]').click();
  await panel.locator('[data-role]').first().waitFor({ state: 'detached' });
  server.reset();
}
