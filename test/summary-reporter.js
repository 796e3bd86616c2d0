// Mocha's spec reporter, plus one closing line "mocha: N passed, M failed[, K skipped]".
'use strict';
const Mocha = require('mocha');
const { Spec } = Mocha.reporters;
const { EVENT_RUN_END } = Mocha.Runner.constants;

class SummaryReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const s = runner.stats;
      process.stdout.write(`mocha: ${s.passes} passed, ${s.failures} failed` +
        (s.pending ? `, ${s.pending} skipped` : '') + '\n');
    });
  }
}
module.exports = SummaryReporter;
