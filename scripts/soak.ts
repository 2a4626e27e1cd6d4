/**
 * `npm run soak [-- turns]`: many turns in a real VS Code against a relay that randomly cuts,
 * stalls, errors and sends malformed chunks, while the chat view is hidden and shown at random
 * moments. Not part of `npm test`; it prints its figures:
 *   - characters lost and repeated on clean turns (the panel's answer against the text sent),
 *   - characters repeated on broken turns (what is shown must be a prefix of what was sent),
 *   - spinners still turning after the turn ended,
 *   - after each New Chat, with garbage collected: the renderer's JS heap (the workbench and the panel
 *     share one renderer, so this is both); the panel's own DOM nodes; and the renderer's documents,
 *     DOM nodes and event listeners, which a panel that leaks its rebuilt pages would grow. Each is
 *     given first, after the first conversation (warm), last, the spread and the trend (least
 *     squares over the warm samples, per 100 turns).
 * RELAY_SOAK_SEED makes a run repeatable.
 */
import assert from 'node:assert/strict';
import type { CDPSession, Frame, Page } from 'playwright-core';
import { sse, startFakeServer, type FakeServer, type Scenario } from '../test/fakeServer/fakeServer';
import { startCodeServer } from '../test/support/codeServer';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../test/support/chromium';
import { chatPanel, ensurePanel, hideAndShowSideBar, openWorkbench } from '../test/e2e/workbench';
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from '../test/support/codeServer';

const TURNS = Number(process.argv[2] ?? process.env.RELAY_SOAK_TURNS ?? 500);
const NEW_CHAT_EVERY = 25;
let seed = Number(process.env.RELAY_SOAK_SEED ?? Date.now() % 100_000);
const startSeed = seed;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const int = (n: number) => Math.floor(random() * n);

type Kind = 'clean' | 'cut' | 'stall' | 'error' | 'malformed';

function answerFor(turn: number): string {
  const words = 20 + int(120);
  return Array.from({ length: words }, (_, i) => `t${turn}w${i}`).join(' ');
}

/** What the relay does this turn, and the text a whole answer would have. */
function scenarioFor(turn: number): { kind: Kind; text: string; scenario: Scenario } {
  const text = answerFor(turn);
  const pieceSize = 1 + int(6);
  const body = sse(text, { pieceSize, usage: random() < 0.5 });
  const pace = { delayMs: 5 + int(20), chunkSize: 64 + int(400) };
  const r = random();
  if (r < 0.6) return { kind: 'clean', text, scenario: { body, ...pace } };
  if (r < 0.72) {
    // Cut mid-stream: the connection closes without [DONE] or finish_reason.
    const cut = body.slice(0, Math.floor(body.length * (0.2 + random() * 0.6)));
    return { kind: 'cut', text, scenario: { body: cut, ...pace } };
  }
  if (r < 0.8) {
    // A stall long enough to trip nothing but the user's patience, then the rest.
    return { kind: 'stall', text, scenario: { body, delayMs: 60, chunkSize: 256 } };
  }
  if (r < 0.9) {
    const at = body.indexOf('\n\n', Math.floor(body.length / 2)) + 2;
    const error = `data: ${JSON.stringify({ error: { message: 'upstream failed mid-answer', code: 502 } })}\n\n`;
    return { kind: 'error', text, scenario: { body: body.slice(0, at) + error, ...pace } };
  }
  const at = body.indexOf('\n\n', Math.floor(body.length / 3)) + 2;
  return {
    kind: 'malformed',
    text,
    scenario: { body: `${body.slice(0, at)}data: {"choices":[{"delta":\n\n`, ...pace },
  };
}

async function panelFrame(page: Page): Promise<Frame> {
  for (let i = 0; i < 100; i++) {
    for (const frame of page.frames()) {
      if (await frame.$('[data-testid="composer"]').catch(() => null)) return frame;
    }
    await page.waitForTimeout(100);
  }
  throw new Error('the chat panel frame was not found');
}

/** A CDP call that never answers (a renderer busy or going away) is given up. */
function within<T>(ms: number, call: Promise<T>): Promise<T> {
  return Promise.race([
    call,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)),
  ]);
}

/**
 * What a leak in the panel would grow, apart from the workbench's own heap: the renderer's
 * documents (a rebuilt webview that is never let go keeps its document), DOM nodes and JS event
 * listeners (CDP Memory.getDOMCounters, after garbage collection).
 */
async function domCounters(
  cdp: CDPSession,
): Promise<{ documents: number; nodes: number; listeners: number }> {
  const c = await within(10_000, cdp.send('Memory.getDOMCounters'));
  return { documents: c.documents, nodes: c.nodes, listeners: c.jsEventListeners };
}

async function main(): Promise<void> {
  if (spawnSync(process.execPath, ['esbuild.js'], { cwd: REPO_ROOT, stdio: 'inherit' }).status !== 0)
    process.exit(1);
  const server: FakeServer = await startFakeServer();
  const vscode = await startCodeServer({
    settings: {
      'relayChat.baseUrl': `${server.url}/v1`,
      'relayChat.model': 'fake-model',
      'relayChat.retries': 0,
    },
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, '--enable-precise-memory-info', '--js-flags=--expose-gc'],
  });
  const totals = {
    turns: 0,
    lostClean: 0,
    repeatedClean: 0,
    repeatedBroken: 0,
    stuck: 0,
    rebuilds: 0,
    driverErrors: 0,
  };
  const byKind: Record<Kind, number> = { clean: 0, cut: 0, stall: 0, error: 0, malformed: 0 };
  const heap: number[] = [];
  const panelNodes: number[] = [];
  const counters = { documents: [] as number[], nodes: [] as number[], listeners: [] as number[] };
  const failures: string[] = [];
  try {
    const page = await openWorkbench(browser, vscode.folderUrl);
    const cdp = await page.context().newCDPSession(page);
    await ensurePanel(page);
    const panel = () => chatPanel(page);
    const playTurn = async (turn: number): Promise<void> => {
      const { kind, text, scenario } = scenarioFor(turn);
      byKind[kind] += 1;
      server.enqueue(scenario);
      const answers = panel().locator('[data-role="assistant"]');
      const errors = panel().locator('[data-role="error"]');
      const users = panel().locator('[data-role="user"]');
      const [before, errorsBefore, usersBefore] = [
        await answers.count(),
        await errors.count(),
        await users.count(),
      ];
      const composer = panel().locator('textarea[data-testid="composer"]');
      await composer.fill(`turn ${turn}`);
      await composer.press('Enter');
      if (random() < 0.3) {
        await panel()
          .locator('[data-role="assistant"][data-streaming]')
          .waitFor({ timeout: 15_000 })
          .catch(() => undefined);
        await hideAndShowSideBar(page);
        totals.rebuilds += 1;
      }
      // The turn has ended once its question is shown and then an answer that no longer streams,
      // or an error, is there (a panel rebuilt mid-turn is looked up again each time).
      const deadline = Date.now() + 60_000;
      let ended = false;
      while (Date.now() < deadline) {
        const asked = (await users.count()) > usersBefore;
        const answered = (await answers.count()) > before;
        const streaming = await panel().locator('[data-role="assistant"][data-streaming]').count();
        if (asked && !streaming && (answered || (await errors.count()) > errorsBefore)) {
          ended = true;
          break;
        }
        await page.waitForTimeout(100);
      }
      if (!ended) {
        totals.stuck += 1;
        failures.push(`turn ${turn} (${kind}): still streaming after 60 s`);
        await panel()
          .locator('[data-testid="stop"]')
          .click()
          .catch(() => undefined);
        return;
      }
      // A turn that failed before any text has no answer of its own (only an error).
      const shown =
        (await answers.count()) > before
          ? ((await answers.last().locator('.body').textContent()) ?? '').trim()
          : '';
      totals.turns += 1;
      if (kind === 'clean' || kind === 'stall') {
        if (shown !== text) {
          const lost = Math.max(0, text.length - shown.length);
          const repeated = text.startsWith(shown) ? 0 : Math.max(1, shown.length - commonPrefix(shown, text));
          totals.lostClean += lost;
          totals.repeatedClean += repeated;
          failures.push(`turn ${turn} (${kind}): shown ${shown.length} of ${text.length} characters`);
          console.log(
            `turn ${turn} (${kind}) differs:\n  sent:  ${text.slice(0, 160)}\n  shown: ${shown.slice(0, 160)}`,
          );
        }
      } else if (!text.startsWith(shown)) {
        totals.repeatedBroken += shown.length - commonPrefix(shown, text);
        failures.push(`turn ${turn} (${kind}): shown text is not a prefix of what was sent`);
        console.log(
          `turn ${turn} (${kind}) not a prefix:\n  sent:  ${text.slice(0, 160)}\n  shown: ${shown.slice(0, 160)}`,
        );
      }
    };
    for (let turn = 0; turn < TURNS; turn++) {
      if (turn % NEW_CHAT_EVERY === 0) {
        if (turn > 0) {
          await panel().locator('[data-testid="new-chat"]').click();
          await panel().locator('[data-role]').first().waitFor({ state: 'detached' });
        }
        const frame = await panelFrame(page);
        heap.push(
          await frame.evaluate(() => {
            // Twice: the first pass runs finalizers and weak callbacks that free more.
            (globalThis as { gc?: () => void }).gc?.();
            (globalThis as { gc?: () => void }).gc?.();
            return (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize;
          }),
        );
        panelNodes.push(await frame.evaluate(() => document.getElementsByTagName('*').length));
        const c = await domCounters(cdp).catch((err: unknown) => {
          console.log(`turn ${turn}: DOM counters not read (${String(err)})`);
          return undefined;
        });
        if (c) for (const key of ['documents', 'nodes', 'listeners'] as const) counters[key].push(c[key]);
        console.log(
          `turn ${turn}: heap ${(heap.at(-1)! / 1048576).toFixed(1)} MB, panel nodes ${panelNodes.at(-1)}, renderer ${JSON.stringify(c)}`,
        );
      }
      try {
        await playTurn(turn);
      } catch (err) {
        // The driver lost the workbench (a keypress swallowed, a widget left open): say so, keep
        // a picture, reload the page and go on. The relay and the extension host keep running.
        totals.driverErrors += 1;
        const shot = `/tmp/soak-turn-${turn}.png`;
        await page.screenshot({ path: shot }).catch(() => undefined);
        failures.push(`turn ${turn}: the driver failed (${String(err).split('\n')[0]}), see ${shot}`);
        await page.reload();
        await page.waitForSelector('.part.activitybar .action-item', { timeout: 60_000 });
        await ensurePanel(page);
      }
      if (turn % 50 === 49)
        console.log(`… ${turn + 1} turns`, totals, '\n' + memoryLines(heap, panelNodes, counters));
    }
  } finally {
    await browser.close();
    await vscode.stop();
    await server.close();
  }
  console.log(`\nSoak: ${TURNS} turns, seed ${startSeed}`);
  console.table({
    ...totals,
    ...Object.fromEntries(Object.entries(byKind).map(([k, v]) => [`turns ${k}`, v])),
  });
  console.log(memoryLines(heap, panelNodes, counters));
  for (const f of failures.slice(0, 20)) console.log(`  ${f}`);
  assert.ok(heap.length > 0);
}

/** Memory after each New Chat so far: a checkpoint says it too, in case a run is cut short. */
function memoryLines(
  heap: number[],
  panelNodes: number[],
  counters: { documents: number[]; nodes: number[]; listeners: number[] },
): string {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return [
    series('renderer JS heap (workbench + panel)', heap, mb),
    series("panel's own DOM nodes", panelNodes, String),
    series('renderer documents', counters.documents, String),
    series('renderer DOM nodes', counters.nodes, String),
    series('renderer JS event listeners', counters.listeners, String),
  ].join('\n');
}

/**
 * One figure's samples, one every NEW_CHAT_EVERY turns: first, warm (after the first conversation,
 * which loads what stays loaded), last, min and max from warm on, last/warm, and the trend from
 * warm on (least squares, per 100 turns, as a share of warm).
 */
function series(name: string, samples: number[], show: (n: number) => string): string {
  if (samples.length === 0) return `${name}: no samples`;
  const warm = samples.length > 1 ? samples.slice(1) : samples;
  const first = samples[0];
  const base = warm[0];
  const xs = warm.map((_, i) => i * NEW_CHAT_EVERY);
  const meanX = xs.reduce((a, b) => a + b, 0) / xs.length;
  const meanY = warm.reduce((a, b) => a + b, 0) / warm.length;
  const sxx = xs.reduce((a, x) => a + (x - meanX) ** 2, 0);
  const slope = sxx ? xs.reduce((a, x, i) => a + (x - meanX) * (warm[i] - meanY), 0) / sxx : 0;
  return (
    `${name}: first ${show(first)}, warm ${show(base)}, last ${show(samples.at(-1)!)}, ` +
    `min ${show(Math.min(...warm))}, max ${show(Math.max(...warm))}; last/warm ${(samples.at(-1)! / base).toFixed(2)}, ` +
    `max/min ${(Math.max(...warm) / Math.min(...warm)).toFixed(2)}, trend ${((100 * slope * 100) / base).toFixed(1)}% per 100 turns`
  );
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
