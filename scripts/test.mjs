#!/usr/bin/env node
// The one test command: static checks, build, then unit → webview → package → e2e (real VS Code).
// `node scripts/test.mjs [static|unit|webview|package|e2e ...]` runs a subset. Prints each level's
// time and one closing line per level and a total: "N passed, N failed".
//
// On a 2-core machine most of a run is waiting (npm's downloads, VS Code starting, answers
// streaming), so independent work overlaps: the test tools install while the static checks and the
// unit tests run, and the e2e files run in two workers, each file with a VS Code of its own
// (RELAY_E2E_JOBS sets how many; 1 runs them one after the other).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const requested = process.argv.slice(2);
const all = requested.length === 0;
const wants = (level) => all || requested.includes(level);

const bin = (name) => join(root, 'node_modules', '.bin', name);
const summaries = [];
let failed = false;
const started = Date.now();

const minutes = (ms) => `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`;

/**
 * Runs a command; its output goes straight through, or (`quiet`) is held and printed whole when it
 * ends, so two branches running side by side do not interleave line by line.
 */
function run(cmd, args, { env = {}, quiet = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: root,
      stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      env: { ...process.env, ...env },
    });
    const held = [];
    if (quiet) {
      child.stdout.on('data', (d) => held.push(d));
      child.stderr.on('data', (d) => held.push(d));
    }
    child.on('close', (status) => {
      if (quiet) process.stdout.write(Buffer.concat(held));
      resolve(status ?? 1);
    });
    child.on('error', (err) => {
      held.push(Buffer.from(`${String(err)}\n`));
    });
  });
}

async function step(name, cmd, args, options = {}) {
  if (!options.quiet) console.log(`\n=== ${name} ===`);
  const t0 = Date.now();
  const status = await run(cmd, args, options);
  if (options.quiet) console.log(`=== ${name} === (its output above, held while it ran)`);
  if (status !== 0) {
    console.error(`${name} failed`);
    failed = true;
  }
  console.log(`[took] ${name}: ${minutes(Date.now() - t0)}`);
  return status === 0;
}

async function mochaLevel(level, spec, { extra = [], env = {}, quiet = false } = {}) {
  if (!quiet) console.log(`\n=== ${level} tests ===`);
  const t0 = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'relay-test-'));
  const summaryFile = join(dir, 'summary.json');
  const status = await run(
    bin('mocha'),
    ['--reporter', join(root, 'test/support/summaryReporter.cjs'), ...extra, spec],
    { env: { RELAY_TEST_SUMMARY: summaryFile, ...env }, quiet },
  );
  let summary = { passes: 0, failures: status === 0 ? 0 : 1, pending: 0 };
  if (existsSync(summaryFile)) summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  if (status !== 0 && summary.failures === 0) summary.failures = 1;
  if (summary.passes === 0) {
    console.error(`${level}: no test ran`);
    summary.failures = Math.max(summary.failures, 1);
  }
  summaries.push({ level, ...summary });
  if (summary.failures > 0) failed = true;
  console.log(`[took] ${level} tests: ${minutes(Date.now() - t0)}`);
}

const needsTools = wants('webview') || wants('e2e') || wants('package');
const needsBuild = wants('webview') || wants('e2e');

// Debian Chromium, code-server and Node 24 in a cache outside node_modules; instant when present.
// Mostly downloads and a native build: it runs beside the checks below, its output held until done.
const tools = needsTools
  ? step('test dependencies', 'bash', [join(root, 'scripts/install-test-deps.sh')], { quiet: true })
  : Promise.resolve(true);

const checks = (async () => {
  if (wants('static')) {
    await step('format (prettier --check)', bin('prettier'), ['--check', '.']);
    await step('lint (eslint)', bin('eslint'), ['.']);
    await step('typecheck (tsc --noEmit)', bin('tsc'), ['--noEmit', '-p', '.']);
  }
  if (needsBuild) await step('build (esbuild)', process.execPath, ['esbuild.js']);
  if (wants('unit')) await mochaLevel('unit', 'test/unit/**/*.test.ts');
})();

const [toolsReady] = await Promise.all([tools, checks]);
if (toolsReady) {
  if (wants('webview')) await mochaLevel('webview', 'test/webview/**/*.test.ts');
  // The package level builds the production bundle into dist/: it runs alone, after the webview
  // level has read the development one. The e2e level then runs that production build.
  if (wants('package')) await mochaLevel('package', 'test/package/**/*.test.ts');
  if (wants('e2e')) {
    const jobs = Number(process.env.RELAY_E2E_JOBS ?? 2);
    const parallel = jobs > 1 ? ['--parallel', '--jobs', String(jobs)] : [];
    await mochaLevel('e2e', 'test/e2e/**/*.test.ts', { extra: parallel });
  }
} else {
  for (const level of ['webview', 'package', 'e2e'].filter(wants)) {
    console.error(`${level}: not run, the test tools did not install`);
    summaries.push({ level, passes: 0, failures: 1, pending: 0 });
  }
}

console.log('\n=== summary ===');
let passes = 0;
let failures = 0;
for (const s of summaries) {
  console.log(`${s.level}: ${s.passes} passed, ${s.failures} failed`);
  passes += s.passes;
  failures += s.failures;
}
console.log(`[took] all: ${minutes(Date.now() - started)}`);
if (failed && failures === 0) failures = 1;
console.log(`${passes} passed, ${failures} failed`);
process.exit(failed ? 1 : 0);
