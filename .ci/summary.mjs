// Prints CI's closing line "N passed, N failed" from vitest's JSON report. A failed
// build/lint/typecheck step (count in argv[3]) or a missing report counts as failed.
import { existsSync, readFileSync } from 'node:fs';

const [, , reportPath, failedStepsArg = '0'] = process.argv;
const failedSteps = Number(failedStepsArg) || 0;
if (!reportPath || !existsSync(reportPath)) {
  console.log(`0 passed, ${1 + failedSteps} failed`);
  process.exit(1);
}
const report = JSON.parse(readFileSync(reportPath, 'utf8'));
let passed = 0;
let failed = 0;
for (const file of report.testResults ?? []) {
  const assertions = file.assertionResults ?? [];
  for (const test of assertions) {
    if (test.status === 'passed') passed++;
    else if (test.status === 'failed') failed++;
  }
  // A file that failed to load has no assertions but still failed.
  if (assertions.length === 0 && file.status === 'failed') failed++;
}
failed += failedSteps;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
