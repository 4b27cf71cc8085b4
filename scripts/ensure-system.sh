#!/usr/bin/env bash
# Makes sure the system programs the tests use are present: Chromium (browser journeys), and the PostgreSQL
# server and redis-server (the chaos suite restarts throwaway copies of both). Installs Debian's packages
# when running as root; otherwise names what to install. Prints the Chromium path.
set -euo pipefail
chromium=""
for c in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -n "$c" ] && [ -x "$c" ]; then chromium="$c"; break; fi
done
missing=()
[ -n "$chromium" ] || missing+=(chromium)
command -v redis-server >/dev/null || missing+=(redis-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql-15)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's ${missing[*]}…" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null) >&2
  else
    echo "Missing ${missing[*]}. Install Debian's packages: sudo apt-get install ${missing[*]} (or set CHROMIUM_PATH)." >&2
    exit 1
  fi
fi
echo "${chromium:-/usr/bin/chromium}"
