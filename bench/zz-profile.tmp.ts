import { sse, startFakeServer } from '../test/fakeServer/fakeServer';
import { startCodeServer } from '../test/support/codeServer';
import { chatPanel, ensurePanel, launchChromium, openWorkbench } from '../test/e2e/workbench';
import { answer, CHUNK, chunks } from './answers';
import { newChat } from './workbenchRig';

async function main() {
  const server = await startFakeServer();
  const browser = await launchChromium();
  const vscode = await startCodeServer({ settings: { 'relayChat.baseUrl': `${server.url}/v1/`, 'relayChat.model': 'fake-model' } });
  try {
    const page = await openWorkbench(browser, vscode.folderUrl);
    const cdp = await page.context().newCDPSession(page);
    await ensurePanel(page);
    const run = async (text: string, profile: boolean) => {
      await newChat(page, server);
      const panel = chatPanel(page);
      const body = sse(text, { pieceSize: CHUNK });
      const events = chunks(text).length + 3;
      server.enqueue({ body, chunkSize: Math.ceil(Buffer.byteLength(body) / events), delayMs: 1 });
      const composer = panel.locator('textarea[data-testid="composer"]');
      await composer.fill('go');
      let frames=0, bytes=0; const samples: string[]=[]; const onFrame=(e: {response:{payloadData:string}})=>{frames++; bytes+=e.response.payloadData.length; if (samples.length<400) samples.push(e.response.payloadData.slice(0,300));}; if (profile) { await cdp.send('Network.enable'); cdp.on('Network.webSocketFrameReceived', onFrame); await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 250 }); await cdp.send('Profiler.start'); }
      const bcdp = await browser.newBrowserCDPSession(); const evs: any[] = []; const onD = (d: any) => evs.push(...d.value); if (profile) { bcdp.on('Tracing.dataCollected', onD); await bcdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: ['toplevel', '__metadata', 'devtools.timeline', 'disabled-by-default-devtools.timeline.frame', 'blink', 'cc', 'disabled-by-default-devtools.timeline.stack'], recordMode: 'recordAsMuchAsPossible' } }); }
      await composer.press('Enter');
      await panel.locator('[data-role="assistant"]:not([data-streaming])').waitFor({ timeout: 300_000 });
      if (!profile) return;
      { const done = new Promise<void>((r) => bcdp.once('Tracing.tracingComplete', () => r())); await bcdp.send('Tracing.end'); await done;
        (await import('node:fs')).writeFileSync('/tmp/trace.json', JSON.stringify(evs)); const names = new Map<number, string>(); for (const e of evs) if (e.ph === 'M' && e.name === 'thread_name') names.set(e.pid * 100000 + e.tid, e.args.name);
        const agg = new Map<string, { n: number; ms: number }>();
        for (const e of evs) { const th = names.get(e.pid * 100000 + e.tid) ?? '?'; if (!/CrRendererMain|Compositor|VizComp|CrGpuMain/.test(th)) continue; const k = `${th.slice(0, 14)} ${e.pid} ${e.name}`; const a = agg.get(k) ?? { n: 0, ms: 0 }; a.n++; a.ms += (e.dur ?? 0) / 1000; agg.set(k, a); }
        console.log([...agg].sort((a, b) => b[1].ms - a[1].ms).slice(0, 45).map(([k, a]) => `${a.ms.toFixed(0).padStart(7)} ${String(a.n).padStart(6)} ${k}`).join('\n')); }
      const { profile: p } = await cdp.send('Profiler.stop'); cdp.off('Network.webSocketFrameReceived', onFrame); console.log('WS frames', frames, 'bytes', bytes); const fs = await import('node:fs'); fs.writeFileSync('/tmp/ws-samples.txt', samples.join('\n---\n'));
      const byId = new Map(p.nodes.map((n) => [n.id, n]));
      const self = new Map<number, number>();
      const dts = p.timeDeltas!;
      for (let i = 0; i < p.samples!.length; i++) self.set(p.samples![i], (self.get(p.samples![i]) ?? 0) + (dts[i] ?? 0) / 1000);
      const byFn = new Map<string, number>(); const byUrl = new Map<string, number>();
      for (const [id, ms] of self) { const n = byId.get(id)!; const u = n.callFrame.url.replace(/^.*\/(?=[^/]+$)/, '') || '(native)'; const k = `${n.callFrame.functionName || '(anon)'} @ ${u}:${n.callFrame.lineNumber}`; byFn.set(k, (byFn.get(k) ?? 0) + ms); byUrl.set(u, (byUrl.get(u) ?? 0) + ms); }
      const top = (m: Map<string, number>, k: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([n, ms]) => `${ms.toFixed(0).padStart(6)} ${n}`).join('\n');
      console.log('BY URL\n' + top(byUrl, 15)); console.log('BY FN\n' + top(byFn, 40));
    };
    await run(answer(6000), false);
    await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
    for (const label of ['idle-after-answer', 'idle-again']) { const m0 = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value])); await new Promise((r) => setTimeout(r, 8000)); const m1 = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value])); console.log(label, 'busy', ((m1.TaskDuration - m0.TaskDuration) / 8 * 100).toFixed(1) + '%', 'layouts', m1.LayoutCount - m0.LayoutCount, 'styles', m1.RecalcStyleCount - m0.RecalcStyleCount); }
    if (process.env.ONLY_IDLE) return;
    await run(answer(60000), true);
  } finally { await browser.close(); await vscode.stop(); await server.close(); }
}
main().catch((e) => { console.error(e); process.exit(1); });
