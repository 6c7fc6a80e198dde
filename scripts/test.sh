#!/usr/bin/env bash
# npm test: lint, type-check, build, unit and integration tests (vitest), then the renderer end to end in Chromium (Playwright),
# then the Electron window where an Electron binary is installed. Run through scripts/with-keyring.sh (package.json).
set -euo pipefail
cd "$(dirname "$0")/.."

npm run lint
npm run typecheck
# Built before the tests: the CLI's integration tests run bin/oauth-desk.mjs, which runs the built out/cli as users do.
npm run build
npx vitest run
npx playwright test
# The real Electron window, where an Electron binary is installed; it says why it skips where there is none.
npx playwright test -c tests/electron/playwright.config.ts
