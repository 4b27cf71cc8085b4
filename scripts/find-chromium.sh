#!/usr/bin/env bash
# Prints the path of a Chromium for Playwright; installs Debian's package when running as root.
set -euo pipefail
for c in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -n "$c" ] && [ -x "$c" ]; then echo "$c"; exit 0; fi
done
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium…" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >&2
  echo /usr/bin/chromium
  exit 0
fi
echo "Chromium not found. Install Debian's package: sudo apt-get install chromium (or set CHROMIUM_PATH)." >&2
exit 1
