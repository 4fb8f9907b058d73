# Shared by the load and live-run scripts (sourced, not run): wrk, the release binary, and a
# server started on a store.

# Install wrk (Debian's package) when it is missing.
need_wrk() {
  if ! command -v wrk >/dev/null; then
    echo "installing wrk" >&2
    local SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get install -y -qq wrk >/dev/null
  fi
}

# Build the release binary; its path in $bin.
release_binary() {
  cargo build --release -q -p lantian-cli
  bin="${CARGO_TARGET_DIR:-target}/release/lantian"
}

# `lantian --store STORE serve` on a free port, printing to LOG, with more ARGS: its pid in
# $pid and its address in $base once it listens.
start_server() { # STORE LOG [ARGS...]
  local store=$1 log=$2
  shift 2
  "$bin" --store "$store" serve --addr 127.0.0.1:0 "$@" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    grep -q "listening on" "$log" && break
    sleep 0.1
  done
  base=$(sed -n 's/^lantian serve: listening on //p' "$log" | head -1)
  [ -n "$base" ] || { cat "$log"; exit 1; }
}
