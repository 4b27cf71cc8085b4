#!/usr/bin/env bash
# Every test: Vitest (unit + integration), then Playwright journeys against a production build.
# Uses DATABASE_URL / REDIS_URL when set, the embedded defaults (PGlite, in-memory) otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/node24.sh
source scripts/node24.sh
bash scripts/ensure-deps.sh
CHROMIUM_PATH="$(bash scripts/ensure-system.sh)"
export CHROMIUM_PATH
export NEXT_TELEMETRY_DISABLED=1
export NEXTAUTH_SECRET="${NEXTAUTH_SECRET:-test-secret-0123456789abcdef0123456789abcdef}"
export ENCRYPTION_KEY="${ENCRYPTION_KEY:-$(node -e 'console.log(Buffer.alloc(32, 7).toString("base64"))')}"
start=$(date +%s)
echo "== Type check =="
npx tsc --noEmit -p .
echo "== Vitest (database: $([ -n "${DATABASE_URL:-}" ] && echo postgres || echo pglite), cache: $([ -n "${REDIS_URL:-}" ] && echo redis || echo memory)) =="
npx vitest run
echo "== Production build =="
npm run build
echo "== Playwright journeys =="
npx playwright test
echo "All tests passed in $(( $(date +%s) - start ))s"
