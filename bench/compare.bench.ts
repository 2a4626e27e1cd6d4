/**
 * Compare in the real workbench: three answers of 20k characters streamed at once (a compare turn
 * of three models) next to one alone, same workbench, same run. `npm run bench compare`, under the
 * heavy lock. Prints figures only:
 * - renderer main thread: CDP Performance.getMetrics TaskDuration while the answers stream;
 * - extension host CPU: user + system time of the extension host process (/proc), same window;
 * - wall time: from Enter until every answer ended.
 * Targets (issue 13): main thread and host CPU for three ≤ 3× one; wall time of three ≈ one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { CDPSession, Page } from 'playwright-core';
import { sse, startFakeServer, type FakeServer } from '../test/fakeServer/fakeServer';
import { startCodeServer, type RunningCodeServer } from '../test/support/codeServer';
import { chatPanel, ensurePanel, launchChromium, openWorkbench } from '../test/e2e/workbench';
import { answer, CHUNK, chunks } from './answers';
import { buildForBench, newChat } from './workbenchRig';

const CHUNK_DELAY_MS = 1;
const MODELS = ['fake-model', 'fake-vision', 'fake-reasoner'];
const CLOCK_TICKS = 100;

function stat(pid: string): string[] {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** Whether `pid` descends from `root` (other sessions run their own code-servers on this machine). */
function descends(pid: string, root: number): boolean {
  for (let p = pid, hops = 0; p !== '0' && p !== '1' && hops < 20; hops++) {
    if (Number(p) === root) return true;
    p = stat(p)[1];
  }
  return false;
}

/** CPU ms (user + system) of our code-server's extension host. */
function extensionHostCpuMs(root: number): number {
  let ms = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=extensionHost')) continue;
      if (!descends(pid, root)) continue;
      const fields = stat(pid);
      ms += ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
    } catch {
      // gone meanwhile
    }
  }
  return ms;
}

async function taskMs(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
}

interface Run {
  label: string;
  wallMs: number;
  mainMs: number;
  hostMs: number;
  slowestMs: number;
}

async function setCompare(page: Page, models: string[]): Promise<void> {
  const panel = chatPanel(page);
  await panel.locator('[data-testid="compare"]').click();
  const boxes = panel.locator('input[data-testid="compare-model"]');
  await boxes.first().waitFor({ timeout: 60_000 });
  for (const box of await boxes.all()) {
    const value = (await box.getAttribute('value')) ?? '';
    if (models.includes(value) !== (await box.isChecked())) await box.click();
  }
  await panel.locator('[data-testid="compare"]').click();
}

async function stream(
  page: Page,
  server: FakeServer,
  cdp: CDPSession,
  hostPid: number,
  label: string,
  text: string,
  count: number,
): Promise<Run> {
  await newChat(page, server);
  const panel = chatPanel(page);
  const body = sse(text, { pieceSize: CHUNK });
  const events = chunks(text).length + 3;
  const scenario = { body, chunkSize: Math.ceil(Buffer.byteLength(body) / events), delayMs: CHUNK_DELAY_MS };
  for (const model of MODELS.slice(0, count)) server.enqueueFor(model, scenario);
  const composer = panel.locator('textarea[data-testid="composer"]');
  await composer.fill(`Walk me through it (${label})`);
  const main0 = await taskMs(cdp);
  const host0 = extensionHostCpuMs(hostPid);
  const start = Date.now();
  await composer.press('Enter');
  const ends: number[] = [];
  const answers = panel.locator('[data-role="assistant"]');
  await answers.nth(count - 1).waitFor({ timeout: 120_000 });
  for (let i = 0; i < count; i++) {
    await answers.nth(i).and(panel.locator(':not([data-streaming])')).waitFor({ timeout: 300_000 });
    ends.push(Date.now() - start);
  }
  const wallMs = Date.now() - start;
  const shown = (await answers.nth(0).locator('.body').textContent()) ?? '';
  if (shown.length < text.length / 2) throw new Error(`the answer did not arrive (${shown.length} chars)`);
  return {
    label,
    wallMs,
    mainMs: (await taskMs(cdp)) - main0,
    hostMs: extensionHostCpuMs(hostPid) - host0,
    slowestMs: Math.max(...ends),
  };
}

async function main(): Promise<void> {
  buildForBench();
  const server = await startFakeServer();
  server.setModels(MODELS);
  let vscode: RunningCodeServer | undefined;
  const browser = await launchChromium();
  try {
    vscode = await startCodeServer({
      settings: { 'relayChat.baseUrl': `${server.url}/v1/`, 'relayChat.model': 'fake-model' },
    });
    const page = await openWorkbench(browser, vscode.folderUrl);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
    await ensurePanel(page);
    const text = answer(20_000);
    await stream(page, server, cdp, vscode.process.pid!, 'warm-up', answer(4_000), 1);
    const runs: Run[] = [];
    // One alone and three at once, twice, mirrored (one, three, three, one).
    for (const count of [1, 3, 3, 1]) {
      await setCompare(page, count === 3 ? MODELS.map((m) => `default/${m}`) : []);
      runs.push(
        await stream(
          page,
          server,
          cdp,
          vscode.process.pid!,
          count === 1 ? 'one alone' : 'three at once',
          text,
          count,
        ),
      );
    }
    const mean = (label: string) => {
      const rs = runs.filter((r) => r.label === label);
      const avg = (k: keyof Omit<Run, 'label'>) => rs.reduce((s, r) => s + r[k], 0) / rs.length;
      return {
        label,
        wallMs: avg('wallMs'),
        mainMs: avg('mainMs'),
        hostMs: avg('hostMs'),
        slowestMs: avg('slowestMs'),
      };
    };
    const one = mean('one alone');
    const three = mean('three at once');
    console.log(
      `answers: ${text.length} chars / ${chunks(text).length} chunks of ${CHUNK} chars, ${CHUNK_DELAY_MS} ms apart; mean of 2 runs`,
    );
    console.log('run             wall s   main-thread ms   host cpu ms');
    for (const r of [one, three]) {
      console.log(
        `${r.label.padEnd(16)}${(r.wallMs / 1000).toFixed(1).padStart(6)}${r.mainMs.toFixed(0).padStart(17)}${r.hostMs.toFixed(0).padStart(14)}`,
      );
    }
    console.log(
      `\nthree/one: main thread ${(three.mainMs / one.mainMs).toFixed(2)}x, host cpu ${(three.hostMs / one.hostMs).toFixed(2)}x (target ≤ 3x); ` +
        `wall ${(three.wallMs / one.wallMs).toFixed(2)}x of one alone (target ≈ 1x, not 3x)`,
    );
  } finally {
    await browser.close();
    await vscode?.stop();
    await server.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
