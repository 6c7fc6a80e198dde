// The closing line of `npm test`: every test of the run, vitest's and Playwright's, counted together on one plain
// line ("Tests: 1050 passed, 0 failed"), read from the JSON reports the two runners wrote (scripts/test.sh).
import { readFileSync } from 'node:fs';

function read(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

const [vitestReport, playwrightReport] = process.argv.slice(2);
const vitest = read(vitestReport);
const playwright = read(playwrightReport).stats;

const passed = vitest.numPassedTests + playwright.expected + playwright.flaky;
const failed = vitest.numFailedTests + playwright.unexpected;
const skipped = vitest.numPendingTests + vitest.numTodoTests + playwright.skipped;

console.log(`Tests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
