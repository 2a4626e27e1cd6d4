/**
 * Streaming cost of the chat panel inside a real VS Code: code-server + Debian Chromium, the
 * production build of the extension, a fake endpoint streaming a markdown answer in 4-character
 * chunks at about 1,000 chunks/s. `npm run bench workbench`. Prints figures only.
 *
 * The bare-page bench (webview.bench.ts) times the panel's JavaScript; here the renderer's whole
 * main thread counts, layout, style and paint included, as CDP reports it:
 * - busy share: Performance.getMetrics TaskDuration over the stream's wall time;
 * - posts: the updates the panel received for the answer; each costs the workbench a message hop
 *   and a frame, and the host's window (`deltaWindowFor`) decides how many there are;
 * - layout, style: LayoutDuration, RecalcStyleDuration over the stream;
 * - longest task: the longest toplevel RunTask on a renderer main thread in a trace of the stream.
 *
 * Baseline in the same run, same workbench: "old" puts back what the panel did before, from outside
 * the bundle: a layout read on every scroll event, `scrollTop = scrollHeight` after every frame's
 * writes (a forced synchronous layout), and no containment on the groups of settled blocks (the
 * groups themselves stay: they are the DOM). For the panel as it was before, run this bench on
 * that build with RELAY_BENCH_NO_BUILD=1; its "shipped" rows are then the old panel.
 *
 * `RELAY_BENCH_NO_BUILD=1` runs whatever dist/ holds (to measure another build with this bench);
 * `RELAY_BENCH_BREAKDOWN=1` also prints where the main thread's time went, by trace event, and what
 * the longest task of each run did; `RELAY_BENCH_ALLOC=1` samples what the renderer allocated during
 * each stream, by function, garbage included (what drives its GC pauses). Both cost time themselves:
 * their runs are for finding causes, not for the figures.
 */
import type { CDPSession, FrameLocator, Page } from 'playwright-core';
import { sse, startFakeServer, type FakeServer } from '../test/fakeServer/fakeServer';
import { startCodeServer, type RunningCodeServer } from '../test/support/codeServer';
import { chatPanel, ensurePanel, launchChromium, openWorkbench } from '../test/e2e/workbench';
import { answer, CHUNK, chunks } from './answers';
import { buildForBench, newChat } from './workbenchRig';

/** Chunks per second the fake endpoint aims at (a 1 ms pause between SSE events). */
const CHUNK_DELAY_MS = 1;
const LONG_TASK_MS = 50;
/** `RELAY_BENCH_BREAKDOWN=1` also traces what the tasks did (tracing that much costs time itself). */
const BREAKDOWN = !!process.env.RELAY_BENCH_BREAKDOWN;
/** `RELAY_BENCH_ALLOC=1` also samples what the renderer allocated while the answer streamed, by function. */
const ALLOC = !!process.env.RELAY_BENCH_ALLOC;

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

/** The biggest allocators of a sampling heap profile, garbage included: what drives the GC. */
function allocators(root: SamplingNode): string {
  const bySite = new Map<string, number>();
  const visit = (node: SamplingNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const site = `${functionName || '(anonymous)'} ${url.split('/').pop() ?? ''}:${lineNumber}`;
    bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
    node.children.forEach(visit);
  };
  visit(root);
  const total = [...bySite.values()].reduce((a, b) => a + b, 0);
  return (
    `${(total / 1e6).toFixed(1)} MB: ` +
    [...bySite]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([site, bytes]) => `${site} ${(bytes / 1e6).toFixed(1)}`)
      .join(', ')
  );
}

type Variant = 'shipped' | 'old';

interface Run {
  variant: Variant;
  size: string;
  chars: number;
  chunks: number;
  /** Updates the panel received for the answer: each costs a message hop and a frame. */
  posts: number;
  wallMs: number;
  taskMs: number;
  layoutMs: number;
  styleMs: number;
  scriptMs: number;
  longestTaskMs: number;
  longTasks: number;
  /** The same tasks' CPU time: what they cost without a neighbour's load stretching them. */
  cpuMs: number;
  longestCpuMs: number;
  breakdown: string;
  anatomy: string;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  /** Thread (CPU) time, µs. */
  tdur?: number;
  args?: { name?: string; data?: { functionName?: string; url?: string; type?: string } };
}

async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

/** Starts a browser-wide trace of toplevel tasks; the returned function stops it and returns the events. */
async function startTrace(cdp: CDPSession): Promise<() => Promise<TraceEvent[]>> {
  const events: TraceEvent[] = [];
  const onData = (data: { value: object[] }) => events.push(...(data.value as TraceEvent[]));
  cdp.on('Tracing.dataCollected', onData);
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: {
      includedCategories: BREAKDOWN
        ? ['toplevel', '__metadata', 'devtools.timeline', 'v8']
        : ['toplevel', '__metadata'],
      recordMode: 'recordAsMuchAsPossible',
    },
  });
  return async () => {
    const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
    await cdp.send('Tracing.end');
    await complete;
    cdp.off('Tracing.dataCollected', onData);
    return events;
  };
}

/** Complete events on the renderers' main threads. */
function rendererEvents(events: TraceEvent[]): TraceEvent[] {
  const mainThreads = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  return events.filter((e) => e.ph === 'X' && mainThreads.has(`${e.pid}:${e.tid}`));
}

/** Task durations (wall and CPU, ms). */
function taskDurations(events: TraceEvent[]): { wall: number; cpu: number }[] {
  return events
    .filter((e) => /RunTask$/.test(e.name))
    .map((e) => ({ wall: (e.dur ?? 0) / 1000, cpu: (e.tdur ?? 0) / 1000 }));
}

/** Where the main thread's time went: the biggest event kinds, nested ones counted inside their parents too. */
function breakdown(events: TraceEvent[]): string {
  const totals = new Map<string, number>();
  for (const e of events) {
    if (/RunTask$/.test(e.name)) continue;
    totals.set(e.name, (totals.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
  }
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([name, ms]) => `${name} ${ms.toFixed(0)}`)
    .join(', ');
}

/**
 * What the longest task did: the events inside it on its thread, by self time (an event's time
 * less that of the events nested in it), biggest first.
 */
function anatomy(events: TraceEvent[]): string {
  const tasks = events.filter((e) => /RunTask$/.test(e.name));
  const longest = tasks.reduce<TraceEvent | undefined>(
    (a, b) => ((b.dur ?? 0) > (a?.dur ?? 0) ? b : a),
    undefined,
  );
  if (!longest?.ts) return '';
  const end = longest.ts + (longest.dur ?? 0);
  const inside = events
    .filter(
      (e) =>
        e !== longest &&
        e.pid === longest.pid &&
        e.tid === longest.tid &&
        (e.ts ?? 0) >= longest.ts! &&
        (e.ts ?? 0) + (e.dur ?? 0) <= end,
    )
    .sort((a, b) => a.ts! - b.ts! || (b.dur ?? 0) - (a.dur ?? 0));
  const self = new Map<string, number>();
  const stack: { end: number; key: string }[] = [];
  const label = (e: TraceEvent) => {
    const data = e.args?.data;
    if (e.name === 'FunctionCall' && data?.url) return `FunctionCall ${data.url.split('/').pop()}`;
    if (e.name === 'EventDispatch' && data?.type) return `EventDispatch ${data.type}`;
    return e.name;
  };
  const add = (key: string, us: number) => self.set(key, (self.get(key) ?? 0) + us);
  for (const e of inside) {
    while (stack.length && stack.at(-1)!.end <= e.ts!) stack.pop();
    const parent = stack.at(-1);
    if (parent) add(parent.key, -(e.dur ?? 0));
    const key = label(e);
    add(key, e.dur ?? 0);
    stack.push({ end: e.ts! + (e.dur ?? 0), key });
  }
  const covered = [...self.values()].reduce((a, b) => a + b, 0);
  add('(untraced)', (longest.dur ?? 0) - covered);
  // Where in the trace it ran: 0% at the first traced task, 100% at the end of the last.
  const first = Math.min(...tasks.map((t) => t.ts ?? Infinity));
  const last = Math.max(...tasks.map((t) => (t.ts ?? 0) + (t.dur ?? 0)));
  const at = Math.round((100 * (longest.ts - first)) / Math.max(1, last - first));
  return (
    `${((longest.dur ?? 0) / 1000).toFixed(1)} ms at ${at}% of the trace: ` +
    [...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([name, us]) => `${name} ${(us / 1000).toFixed(1)}`)
      .join(', ')
  );
}

/**
 * Puts the old behaviour back, or takes it out again, in the panel's document. Only CSSOM and
 * wrapped globals: the webview's CSP stays as it is.
 */
async function setVariant(panel: FrameLocator, variant: Variant): Promise<void> {
  const list = panel.locator('main.messages');
  // tsx compiles the callbacks below with esbuild's keepNames, which calls __name.
  await list.evaluate('window.__name = (fn) => fn');
  await list.evaluate((list, old) => {
    interface Hooks {
      raf?: typeof requestAnimationFrame;
      undo?: () => void;
    }
    const win = window as unknown as { __relayBench?: Hooks };
    const hooks = (win.__relayBench ??= {});
    hooks.undo?.();
    hooks.undo = undefined;
    if (!old) return;
    const raf = (hooks.raf ??= window.requestAnimationFrame.bind(window));
    const onScroll = () => void (list.scrollHeight - list.scrollTop - list.clientHeight);
    list.addEventListener('scroll', onScroll, { passive: true });
    window.requestAnimationFrame = (callback) =>
      raf((time) => {
        callback(time);
        list.scrollTop = list.scrollHeight;
      });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync('.md-group { content-visibility: visible; contain: none; }');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    hooks.undo = () => {
      list.removeEventListener('scroll', onScroll);
      window.requestAnimationFrame = raf;
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
    };
  }, variant === 'old');
}

/** Counts the updates the panel receives from here on (the host's posts for the streaming answer). */
async function countPosts(panel: FrameLocator): Promise<void> {
  await panel.locator('main.messages').evaluate(() => {
    const win = window as unknown as { __relayPosts: number; __relayCounting?: boolean };
    win.__relayPosts = 0;
    if (win.__relayCounting) return;
    win.__relayCounting = true;
    window.addEventListener('message', (event: MessageEvent<{ type?: string }>) => {
      if (event.data?.type === 'update') win.__relayPosts++;
    });
  });
}

async function stream(
  page: Page,
  server: FakeServer,
  cdp: { page: CDPSession; browser: CDPSession },
  variant: Variant,
  size: string,
  text: string,
): Promise<Run> {
  await newChat(page, server);
  const panel = chatPanel(page);
  await setVariant(panel, variant);
  await countPosts(panel);
  const body = sse(text, { pieceSize: CHUNK });
  const events = chunks(text).length + 3;
  // One SSE event per write, a millisecond apart: about 1,000 chunks/s.
  server.enqueue({ body, chunkSize: Math.ceil(Buffer.byteLength(body) / events), delayMs: CHUNK_DELAY_MS });
  const composer = panel.locator('textarea[data-testid="composer"]');
  await composer.fill(`Walk me through it (${variant}, ${size})`);
  const stopTrace = await startTrace(cdp.browser);
  if (ALLOC)
    await cdp.page.send('HeapProfiler.startSampling', {
      samplingInterval: 16384,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  const before = await metrics(cdp.page);
  const start = Date.now();
  await composer.press('Enter');
  const done = panel.locator('[data-role="assistant"]:not([data-streaming])');
  await done.waitFor({ timeout: 300_000 });
  const wallMs = Date.now() - start;
  const after = await metrics(cdp.page);
  const allocated = ALLOC
    ? allocators((await cdp.page.send('HeapProfiler.stopSampling')).profile.head as SamplingNode)
    : '';
  if (ALLOC) console.log(`allocated, ${variant} ${size}: ${allocated}`);
  const traced = rendererEvents(await stopTrace());
  const tasks = taskDurations(traced);
  const shown = (await done.locator('.body').textContent()) ?? '';
  const posts = await panel
    .locator('main.messages')
    .evaluate(() => (window as unknown as { __relayPosts: number }).__relayPosts);
  if (shown.length < text.length / 2) throw new Error(`the answer did not arrive (${shown.length} chars)`);
  const delta = (name: string) => ((after[name] ?? 0) - (before[name] ?? 0)) * 1000;
  return {
    variant,
    size,
    chars: text.length,
    chunks: chunks(text).length,
    posts,
    wallMs,
    taskMs: delta('TaskDuration'),
    layoutMs: delta('LayoutDuration'),
    styleMs: delta('RecalcStyleDuration'),
    scriptMs: delta('ScriptDuration'),
    longestTaskMs: Math.max(0, ...tasks.map((t) => t.wall)),
    longTasks: tasks.filter((t) => t.wall > LONG_TASK_MS).length,
    cpuMs: tasks.reduce((sum, t) => sum + t.cpu, 0),
    longestCpuMs: Math.max(0, ...tasks.map((t) => t.cpu)),
    breakdown: breakdown(traced),
    anatomy: BREAKDOWN ? anatomy(traced) : '',
  };
}

/** The mean of two runs of one variant and size; the longest task is the longest of both. */
function mean(pair: Run[]): Run {
  const [a, b] = pair;
  const avg = (key: 'wallMs' | 'taskMs' | 'layoutMs' | 'styleMs' | 'scriptMs') => (a[key] + b[key]) / 2;
  return {
    ...a,
    posts: (a.posts + b.posts) / 2,
    wallMs: avg('wallMs'),
    taskMs: avg('taskMs'),
    layoutMs: avg('layoutMs'),
    styleMs: avg('styleMs'),
    scriptMs: avg('scriptMs'),
    longestTaskMs: Math.max(a.longestTaskMs, b.longestTaskMs),
    cpuMs: (a.cpuMs + b.cpuMs) / 2,
    longestCpuMs: Math.max(a.longestCpuMs, b.longestCpuMs),
    longTasks: a.longTasks + b.longTasks,
    breakdown: `${a.breakdown} | ${b.breakdown}`,
    anatomy: `${a.anatomy} | ${b.anatomy}`,
  };
}

const fixed = (n: number, digits = 0) => n.toFixed(digits);

function report(runs: Run[]): void {
  const head = [
    'run',
    'wall s',
    'posts',
    'busy',
    'task ms',
    'layout ms',
    'style ms',
    'script ms',
    'longest ms',
    '>50ms',
    'cpu busy',
    'cpu ms',
    'longest cpu',
  ];
  const widths = [14, 8, 7, 6, 9, 11, 10, 11, 12, 7, 10, 8, 13];
  const line = (cells: string[]) =>
    cells.map((c, i) => (i ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('');
  console.log(
    '\nrenderer main thread while the answer streams, mean of 2 runs (CDP Performance.getMetrics + trace)',
  );
  console.log(line(head));
  // busy, task, longest: wall time of the tasks (CDP TaskDuration, trace dur), which a loaded
  // machine stretches; cpu: the same tasks' thread time from the trace. >50ms counts both runs.
  for (const r of runs) {
    console.log(
      line([
        `${r.variant} ${r.size}`,
        fixed(r.wallMs / 1000, 1),
        fixed(r.posts),
        `${fixed((100 * r.taskMs) / r.wallMs)}%`,
        fixed(r.taskMs),
        fixed(r.layoutMs),
        fixed(r.styleMs),
        fixed(r.scriptMs),
        fixed(r.longestTaskMs, 1),
        String(r.longTasks),
        `${fixed((100 * r.cpuMs) / r.wallMs)}%`,
        fixed(r.cpuMs),
        fixed(r.longestCpuMs, 1),
      ]),
    );
  }
  if (BREAKDOWN) console.log('\ntraced main-thread events, ms (nested events also count in their parents)');
  if (BREAKDOWN) for (const r of runs) console.log(`  ${r.variant} ${r.size}: ${r.breakdown}`);
  if (BREAKDOWN) console.log('\nthe longest task of each run, by self time, ms');
  if (BREAKDOWN) for (const r of runs) console.log(`  ${r.variant} ${r.size}: ${r.anatomy}`);
  const find = (variant: Variant, size: string) =>
    runs.find((r) => r.variant === variant && r.size === size)!;
  console.log('\nratios');
  for (const variant of ['old', 'shipped'] as const) {
    const small = find(variant, '6k');
    const large = find(variant, '60k');
    console.log(
      `  ${variant.padEnd(8)} 60k/6k task time ${fixed(large.taskMs / small.taskMs, 1)}x, cpu ${fixed(large.cpuMs / small.cpuMs, 1)}x ` +
        `(characters ${fixed(large.chars / small.chars, 1)}x), layout ${fixed(large.layoutMs / Math.max(1, small.layoutMs), 1)}x`,
    );
  }
  for (const size of ['6k', '60k']) {
    const old = find('old', size);
    const shipped = find('shipped', size);
    console.log(
      `  ${size.padEnd(4)} shipped/old: task ${fixed(shipped.taskMs / old.taskMs, 2)}x, ` +
        `cpu ${fixed(shipped.cpuMs / old.cpuMs, 2)}x, layout ${fixed(shipped.layoutMs / Math.max(1, old.layoutMs), 2)}x, busy ${fixed((100 * shipped.taskMs) / shipped.wallMs)}% vs ${fixed((100 * old.taskMs) / old.wallMs)}%`,
    );
  }
  console.log(`\ntargets: busy <= 20% at 60k, 60k/6k <= 12x, no task over ${LONG_TASK_MS} ms`);
}

async function main(): Promise<void> {
  buildForBench();
  const server = await startFakeServer();
  let vscode: RunningCodeServer | undefined;
  const browser = await launchChromium();
  try {
    vscode = await startCodeServer({
      settings: { 'relayChat.baseUrl': `${server.url}/v1/`, 'relayChat.model': 'fake-model' },
    });
    const page = await openWorkbench(browser, vscode.folderUrl);
    const cdp = {
      page: await page.context().newCDPSession(page),
      browser: await browser.newBrowserCDPSession(),
    };
    await cdp.page.send('Performance.enable', { timeDomain: 'timeTicks' });
    await ensurePanel(page);
    const small = answer(6_000);
    const large = answer(60_000);
    // Warm-up: the first answer pays for loading grammars and compiling the renderer.
    await stream(page, server, cdp, 'shipped', 'warm-up', small);
    // Old and shipped in turn, twice, in mirrored order (old, shipped, shipped, old): a workbench
    // that slows down as it runs, or a neighbour's load, weighs on both alike.
    const runs: Run[] = [];
    for (const [size, text] of [
      ['6k', small],
      ['60k', large],
    ] as const) {
      const pair: Run[] = [];
      for (const variant of ['old', 'shipped', 'shipped', 'old'] as const)
        pair.push(await stream(page, server, cdp, variant, size, text));
      for (const variant of ['old', 'shipped'] as const)
        runs.push(mean(pair.filter((r) => r.variant === variant)));
    }
    console.log(
      `answers: 6k = ${small.length} chars / ${chunks(small).length} chunks, 60k = ${large.length} chars / ${chunks(large).length} chunks of ${CHUNK} chars, ${CHUNK_DELAY_MS} ms apart`,
    );
    report(runs);
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
