/**
 * Activation cost of the extension in a real VS Code, as the extension host times it: code-server,
 * the production build, a fresh user-data dir per start. `npm run bench activation`, under the heavy
 * lock. Prints figures only.
 *
 * The figures are VS Code's own (`Developer: Startup Performance`, its "Extension Activation Stats"
 * table, filled from the extension host's activationTimes):
 * - load code: reading and compiling dist/extension.js (the `require`);
 * - call activate: the synchronous part of `activate()`;
 * - finish activate: until the promise `activate()` returned settled (0 for a void activate);
 * - total: load code + call activate, the "Activation: N ms" of Show Running Extensions.
 * VS Code starts the load-code clock before an await, so that figure also holds the other extensions
 * activated in the same batch; the last row is ours less the empty extension's, start by start.
 *
 * Baseline in the same workbench, same start: an empty extension (`activate() {}`, one command),
 * activated by the same event, installed beside ours: what any extension costs on this machine at
 * that moment. For another build of Relay Chat, run this bench with RELAY_BENCH_NO_BUILD=1 on it.
 *
 * Then the same in plain Node (activationLab.cjs, code-server's own Node, a fresh process each time,
 * a stand-in `vscode` that does nothing): the extension's own work without the extension host's
 * messages, with CPU time beside wall time, since the machine is shared. Twice: the first start
 * after an install or update (compiled, no code cache yet) and the starts after it (compiled from
 * the V8 code cache the extension keeps in its global storage).
 *
 * `RELAY_BENCH_STARTS=n` sets the number of workbench starts (default 5), `RELAY_BENCH_LAB_RUNS=n`
 * the plain-Node runs (default 15).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startFakeServer } from '../test/fakeServer/fakeServer';
import {
  ensureCodeServer,
  REPO_ROOT,
  startCodeServer,
  type RunningCodeServer,
} from '../test/support/codeServer';
import { launchChromium, openWorkbench, runCommand } from '../test/e2e/workbench';
import { buildForBench } from './workbenchRig';

const STARTS = Number(process.env.RELAY_BENCH_STARTS ?? 5);
const LAB_RUNS = Number(process.env.RELAY_BENCH_LAB_RUNS ?? 15);
const OURS = 'relay-chat.relay-chat';
const EMPTY = 'bench.empty-extension';

interface Times {
  loadCode: number;
  callActivate: number;
  finishActivate: number;
  event: string;
}

/** An installed-extension folder whose activate() does nothing: the floor. */
function emptyExtension(): string {
  const folder = join(mkdtempSync(join(tmpdir(), 'relay-bench-empty-')), `${EMPTY}-0.0.1`);
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, 'package.json'),
    JSON.stringify({
      name: 'empty-extension',
      publisher: 'bench',
      version: '0.0.1',
      engines: { vscode: '^1.104.0' },
      main: './main.js',
      activationEvents: ['onStartupFinished'],
      contributes: { commands: [{ command: 'benchEmpty.run', title: 'Bench: Empty' }] },
    }),
  );
  writeFileSync(
    join(folder, 'main.js'),
    "const vscode = require('vscode');\nexports.activate = (context) => {\n  context.subscriptions.push(vscode.commands.registerCommand('benchEmpty.run', () => undefined));\n};\n",
  );
  return folder;
}

/**
 * The Startup Performance document's text. It is a read-only editor; its text comes out through
 * the clipboard, as a person would copy it (Monaco renders only the lines on screen).
 */
async function startupPerformance(page: Page): Promise<string> {
  await runCommand(page, 'Developer: Startup Performance');
  const editor = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
  await page.locator('.tab.active', { hasText: 'Startup Performance' }).waitFor({ timeout: 30_000 });
  await editor.waitFor({ timeout: 30_000 });
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+C');
  return page.evaluate(() => navigator.clipboard.readText());
}

/** One extension's row of the "Extension Activation Stats" markdown table, if it has activated. */
function activationRow(text: string, id: string): Times | undefined {
  const row = text.split('\n').find((line) => line.split('|')[1]?.trim() === id);
  if (!row) return undefined;
  // | Extension | Eager | Load Code | Call Activate | Finish Activate | Event | By |
  const cells = row
    .split('|')
    .slice(1, -1)
    .map((cell) => cell.trim());
  return {
    loadCode: Number(cells[2]),
    callActivate: Number(cells[3]),
    finishActivate: Number(cells[4]),
    event: cells[5],
  };
}

async function oneStart(browser: Browser, baseUrl: string): Promise<{ ours: Times; empty: Times }> {
  let vscode: RunningCodeServer | undefined;
  const empty = emptyExtension();
  try {
    vscode = await startCodeServer({
      settings: { 'relayChat.baseUrl': baseUrl, 'relayChat.model': 'fake-model' },
      extraExtensions: [empty],
    });
    const page = await openWorkbench(browser, vscode.folderUrl);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: vscode.url });
    // onStartupFinished comes a moment after the workbench is usable: ask again until both rows are in.
    const deadline = Date.now() + 60_000;
    for (;;) {
      // On a busy machine the palette can miss a key press; ask again, within the deadline.
      const text = await startupPerformance(page).catch(async (err: unknown) => {
        if (Date.now() > deadline) throw err;
        await page.keyboard.press('Escape');
        return '';
      });
      const ours = activationRow(text, OURS);
      const floor = activationRow(text, EMPTY);
      if (ours && floor) {
        writeFileSync(join(tmpdir(), 'relay-bench-startup-performance.md'), text);
        await page.close();
        return { ours, empty: floor };
      }
      if (Date.now() > deadline) {
        const saved = join(tmpdir(), 'relay-bench-startup-performance.md');
        writeFileSync(saved, text);
        throw new Error(
          `No activation figures for ${OURS} and ${EMPTY} in Startup Performance (saved to ${saved})`,
        );
      }
      await page.keyboard.press('Control+W');
      await page.waitForTimeout(1000);
    }
  } finally {
    await vscode?.stop();
    rmSync(join(empty, '..'), { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function row(label: string, runs: Times[]): string {
  const col = (pick: (t: Times) => number) => {
    const values = runs.map(pick);
    return `${median(values).toFixed(0).padStart(5)} (${Math.min(...values)}–${Math.max(...values)})`.padEnd(
      16,
    );
  };
  return [
    label.padEnd(22),
    col((t) => t.loadCode),
    col((t) => t.callActivate),
    col((t) => t.finishActivate),
    col((t) => t.loadCode + t.callActivate),
    [...new Set(runs.map((t) => t.event))].join(', '),
  ].join(' ');
}

interface LabRun {
  requireMs: number;
  requireCpuMs: number;
  activateMs: number;
  activateCpuMs: number;
  resolvedMs: number;
  resolvedCpuMs: number;
}

/** One plain-Node start per call, with `storage` as the extension's global storage. */
function labRun(node: string, storage: string, keepAliveMs = 0): LabRun {
  const run = spawnSync(
    node,
    [join(__dirname, 'activationLab.cjs'), REPO_ROOT, storage, String(keepAliveMs)],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`activationLab.cjs failed:\n${run.stderr}`);
  return JSON.parse(run.stdout) as LabRun;
}

/**
 * The first start after an install or update compiles dist/extension.js and writes the code cache;
 * the starts after it load the cache. Both, in fresh processes.
 */
function lab(): void {
  const { node } = ensureCodeServer();
  const scratch = mkdtempSync(join(tmpdir(), 'relay-bench-lab-'));
  try {
    const first: LabRun[] = [];
    for (let i = 0; i < LAB_RUNS; i++) first.push(labRun(node, join(scratch, `first-${i}`)));
    const warm = join(scratch, 'warm');
    // Alive past the cache's write (SAVE_CACHE_AFTER_MS in src/vscode/startup/main.ts).
    labRun(node, warm, 11_000);
    const later: LabRun[] = [];
    for (let i = 0; i < LAB_RUNS; i++) later.push(labRun(node, warm));
    console.log(`\nplain Node, stand-in vscode: ms, median of ${LAB_RUNS} fresh processes (wall / CPU)`);
    console.log(
      ['start'.padEnd(26), 'require'.padEnd(18), 'activate() call'.padEnd(18), 'until it settled'].join(' '),
    );
    for (const [name, runs] of [
      ['first (compiles, no cache)', first],
      ['later (from the code cache)', later],
    ] as const) {
      const cell = (pick: (r: LabRun) => number) => median(runs.map(pick)).toFixed(1).padStart(7);
      console.log(
        [
          name.padEnd(26),
          `${cell((r) => r.requireMs)} /${cell((r) => r.requireCpuMs)}`.padEnd(18),
          `${cell((r) => r.activateMs)} /${cell((r) => r.activateCpuMs)}`.padEnd(18),
          `${cell((r) => r.resolvedMs)} /${cell((r) => r.resolvedCpuMs)}`,
        ].join(' '),
      );
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  buildForBench();
  lab();
  if (STARTS < 1) return;
  const server = await startFakeServer();
  const browser = await launchChromium();
  const ours: Times[] = [];
  const floor: Times[] = [];
  try {
    for (let i = 1; i <= STARTS; i++) {
      const run = await oneStart(browser, server.baseUrl);
      ours.push(run.ours);
      floor.push(run.empty);
      const t = run.ours;
      console.log(
        `start ${i}/${STARTS}: relay-chat load ${t.loadCode} ms, call ${t.callActivate} ms, finish ${t.finishActivate} ms` +
          ` (${t.event}); empty extension load ${run.empty.loadCode} ms, call ${run.empty.callActivate} ms`,
      );
    }
  } finally {
    await browser.close();
    await server.close();
  }
  console.log(`\nms, median (min–max) over ${STARTS} starts, as the extension host timed them`);
  console.log(
    [
      ''.padEnd(22),
      'load code'.padEnd(16),
      'call activate'.padEnd(16),
      'finish activate'.padEnd(16),
      'total'.padEnd(16),
      'event',
    ].join(' '),
  );
  console.log(row('relay-chat', ours));
  console.log(row('empty extension', floor));
  // VS Code times "load code" across an await, so it holds whatever else the extension host ran in
  // that gap (the other extensions activated by the same event): what is ours is the difference.
  const own = ours.map((t, i) => ({
    loadCode: t.loadCode - floor[i].loadCode,
    callActivate: t.callActivate - floor[i].callActivate,
    finishActivate: t.finishActivate - floor[i].finishActivate,
    event: 'same start',
  }));
  console.log(row('relay-chat − empty', own));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
