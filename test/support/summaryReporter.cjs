// Mocha's spec reporter, plus a JSON summary for scripts/test.mjs to add up the levels, and each
// top-level suite's time (its hooks included: for e2e, the VS Code start), so a slow file shows.
const Mocha = require('mocha');
const fs = require('node:fs');

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const started = new Map();
    const times = [];
    runner.on(Mocha.Runner.constants.EVENT_SUITE_BEGIN, (suite) => {
      if (suite.parent?.root) started.set(suite, Date.now());
    });
    runner.on(Mocha.Runner.constants.EVENT_SUITE_END, (suite) => {
      if (started.has(suite)) times.push({ title: suite.title, ms: Date.now() - started.get(suite) });
    });
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      // In --parallel mode a file's events are replayed when it ends: no times to give (and none given).
      if (process.env.RELAY_TEST_SUITE_TIMES && times.length) {
        console.log('\n  time per suite (slowest first):');
        for (const { title, ms } of times.sort((a, b) => b.ms - a.ms).slice(0, 30)) {
          console.log(`  ${(ms / 1000).toFixed(1).padStart(7)} s  ${title}`);
        }
      }
      const file = process.env.RELAY_TEST_SUMMARY;
      if (!file) return;
      const { passes = 0, failures = 0, pending = 0 } = this.stats;
      fs.writeFileSync(file, JSON.stringify({ passes, failures, pending }));
    });
  }
}

module.exports = SummaryReporter;
