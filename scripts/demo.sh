#!/usr/bin/env bash
# One command from a fresh clone: install, migrate the embedded database, seed the demo, build, serve.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/node24.sh
source scripts/node24.sh
bash scripts/ensure-deps.sh
if [ ! -f .env.local ]; then
  # Secrets are generated once per checkout and kept out of git.
  printf 'NEXTAUTH_SECRET=%s\nENCRYPTION_KEY=%s\n' "$(node -e 'console.log(require("crypto").randomBytes(32).toString("hex"))')" \
    "$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64"))')" > .env.local
  echo "Generated .env.local with fresh secrets."
fi
export PORT="${PORT:-3000}"
# The demo flow calls the demo store API served by this same app, so only that host is let through the SSRF guard.
export OUTBOUND_ALLOWED_HOSTS="${OUTBOUND_ALLOWED_HOSTS:-localhost:$PORT}"
export APP_URL="${APP_URL:-http://localhost:$PORT}"
export NEXTAUTH_URL="${NEXTAUTH_URL:-$APP_URL}"
export NEXT_TELEMETRY_DISABLED=1
# Serves the demo store API under /api/demo; production deployments leave it unset and those routes answer 404.
export DEMO_MODE=1
npx tsx scripts/seed-demo.ts
# The embeddable widget (.widget/widget.js and public/widget-chat.*.js) is a build output too.
node scripts/build-widget.mjs
npx next build
npx tsx scripts/seed-demo.ts --print-login
exec node scripts/serve.mjs -p "$PORT"
