#!/usr/bin/env bash
# The project runs on Node 24 LTS. Where the machine's Node is older, Node 24 is fetched once from the npm
# registry (the official binary, packaged as node-linux-<arch>) into .tools/ and put first on PATH.
# Sourced: sets PATH for the calling script. Executed with arguments: runs them under Node 24.
NODE24_VERSION=24.22.3
node24_dir() {
  local root arch
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "Unsupported CPU $(uname -m): install Node 24 yourself" >&2; return 1 ;;
  esac
  local prefix="$root/.tools/node-$NODE24_VERSION"
  local bin="$prefix/node_modules/node-linux-$arch/bin"
  if [ ! -x "$bin/node" ]; then
    echo "Node $(node -v 2>/dev/null || echo 'is missing') here; fetching Node $NODE24_VERSION from the npm registry…" >&2
    npm install --prefix "$prefix" --no-save --no-audit --no-fund --no-package-lock "node-linux-$arch@$NODE24_VERSION" >&2 || return 1
  fi
  echo "$bin"
}
if [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)" -lt 24 ]; then
  NODE24_BIN="$(node24_dir)" || { echo "Could not install Node 24" >&2; exit 1; }
  export PATH="$NODE24_BIN:$PATH"
fi
if [ "${BASH_SOURCE[0]}" = "$0" ] && [ $# -gt 0 ]; then exec "$@"; fi
