#!/usr/bin/env bash
# npm test: lint, type-check, build, unit and integration tests (vitest), the Electron window where an Electron binary
# is installed, then the renderer end to end in Chromium (Playwright) last, so that the run ends on its whole summary.
# Run through scripts/with-keyring.sh (package.json).
set -euo pipefail
cd "$(dirname "$0")/.."

npm run lint
npm run typecheck
# Built before the tests: the CLI's integration tests run bin/oauth-desk.mjs, which runs the built out/cli as users do.
npm run build
# Plain text summaries in the log: no colour codes between a count and its word. (Only here: Playwright sets
# FORCE_COLOR for its workers, and Node warns on stderr of every process that meets both.)
NO_COLOR=1 npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
# The real Electron window runs only where an Electron binary is installed; elsewhere one line says why it does not.
if node -e "import('./scripts/electron-runtime.mjs').then(m => process.exit(m.electronExecutable() === null ? 1 : 0))"; then
  npx playwright test -c tests/electron/playwright.config.ts
else
  echo "Electron window spec not run: no Electron binary on this machine (the renderer specs below cover its screens in Chromium over the real dispatch)."
fi
PLAYWRIGHT_JSON_OUTPUT_FILE=test-results/playwright.json npx playwright test --reporter=list,json
# The closing line counts both runners' tests together, on one plain line.
node scripts/test-summary.mjs test-results/vitest.json test-results/playwright.json
