#!/usr/bin/env node
// The one test command: static checks, build, then unit → webview → e2e (real VS Code).
// `node scripts/test.mjs [static|unit|webview|package|e2e ...]` runs a subset. Prints one closing line per
// level and a total: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const requested = process.argv.slice(2);
const all = requested.length === 0;
const wants = (level) => all || requested.includes(level);

function run(cmd, args, env = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status ?? 1;
}

const bin = (name) => join(root, 'node_modules', '.bin', name);
const summaries = [];
let failed = false;

const minutes = (ms) => `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`;

function step(name, cmd, args) {
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  if (run(cmd, args) !== 0) {
    console.error(`${name} failed`);
    failed = true;
  }
  console.log(`[took] ${name}: ${minutes(Date.now() - started)}`);
}

function mochaLevel(level, spec, extra = [], env = {}) {
  console.log(`\n=== ${level} tests ===`);
  const dir = mkdtempSync(join(tmpdir(), 'relay-test-'));
  const summaryFile = join(dir, 'summary.json');
  const status = run(
    bin('mocha'),
    ['--reporter', join(root, 'test/support/summaryReporter.cjs'), ...extra, spec],
    { RELAY_TEST_SUMMARY: summaryFile, ...env },
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
}

if (wants('static')) {
  step('format (prettier --check)', bin('prettier'), ['--check', '.']);
  step('lint (eslint)', bin('eslint'), ['.']);
  step('typecheck (tsc --noEmit)', bin('tsc'), ['--noEmit', '-p', '.']);
}
if (wants('webview') || wants('e2e')) step('build (esbuild)', process.execPath, ['esbuild.js']);
if (wants('webview') || wants('e2e') || wants('package')) {
  // Debian Chromium, code-server and Node 24 in a cache outside node_modules; instant when present.
  step('test dependencies', 'bash', [join(root, 'scripts/install-test-deps.sh')]);
}
if (wants('unit')) mochaLevel('unit', 'test/unit/**/*.test.ts');
if (wants('webview')) mochaLevel('webview', 'test/webview/**/*.test.ts');
if (wants('package')) mochaLevel('package', 'test/package/**/*.test.ts');
if (wants('e2e')) mochaLevel('e2e', 'test/e2e/**/*.test.ts');

console.log('\n=== summary ===');
let passes = 0;
let failures = 0;
for (const s of summaries) {
  console.log(`${s.level}: ${s.passes} passed, ${s.failures} failed`);
  passes += s.passes;
  failures += s.failures;
}
if (failed && failures === 0) failures = 1;
console.log(`${passes} passed, ${failures} failed`);
process.exit(failed ? 1 : 0);
