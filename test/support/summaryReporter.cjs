// Mocha's spec reporter, plus a JSON summary for scripts/test.mjs to add up the levels.
const Mocha = require('mocha');
const fs = require('node:fs');

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.RELAY_TEST_SUMMARY;
      if (!file) return;
      const { passes = 0, failures = 0, pending = 0 } = this.stats;
      fs.writeFileSync(file, JSON.stringify({ passes, failures, pending }));
    });
  }
}

module.exports = SummaryReporter;
