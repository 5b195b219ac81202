# Shared by linux/install.sh and macos/install.sh (POSIX sh, sourced).
# Reads the flags, checks the bundle, the agent build and node, and offers
# `run` (prints instead of acting under --dry-run) and the copy steps.

usage() {
  cat <<USAGE
Usage: $0 --bundle DIR [options]

Installs the Upkeep agent from a build (npm run build: dist/agent) with the
install bundle of 'upkeep enroll', and starts it at boot as root.

Options:
  --bundle DIR   install bundle (config.json, certificate.pem.crt,
                 private.pem.key, root-ca.pem) (required)
  --agent DIR    agent build with index.mjs and upkeep-agent
                 (default: dist/agent of this checkout)
  --node PATH    Node.js 22 or newer (default: node on the PATH)
  --root DIR     install below DIR and do not start anything (packaging,
                 tests)
  --dry-run      print each step instead of doing it
  --no-start     install but do not enable or start the service
  -h, --help     show this help
USAGE
}

fail() {
  echo "$0: $*" >&2
  exit 1
}

BUNDLE=""
AGENT="$(cd "$(dirname "$0")/../.." && pwd)/dist/agent"
NODE=""
ROOT=""
DRY_RUN=0
START=1

parse_flags() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --bundle) BUNDLE="${2:?--bundle needs a folder}"; shift 2 ;;
      --agent) AGENT="${2:?--agent needs a folder}"; shift 2 ;;
      --node) NODE="${2:?--node needs a path}"; shift 2 ;;
      --root) ROOT="${2:?--root needs a folder}"; START=0; shift 2 ;;
      --dry-run) DRY_RUN=1; shift ;;
      --no-start) START=0; shift ;;
      -h|--help) usage; exit 0 ;;
      *) usage >&2; fail "unknown option $1" ;;
    esac
  done
  [ -n "$BUNDLE" ] || { usage >&2; fail "--bundle is required"; }
  [ -n "$NODE" ] || NODE="$(command -v node || true)"
}

# The bundle and the build must be complete before anything is copied.
check_inputs() {
  for file in config.json certificate.pem.crt private.pem.key root-ca.pem; do
    [ -f "$BUNDLE/$file" ] || fail "the bundle $BUNDLE lacks $file"
  done
  for file in index.mjs upkeep-agent; do
    [ -f "$AGENT/$file" ] || fail "the agent build $AGENT lacks $file (npm run build)"
  done
  [ -n "$NODE" ] && [ -x "$NODE" ] || fail "no node binary; pass --node PATH"
  # The agent needs Node 22 (package.json engines).
  "$NODE" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 22 ? 0 : 1)' ||
    fail "$NODE is Node $("$NODE" --version); the agent needs 22 or newer"
}

run() {
  if [ "$DRY_RUN" = 1 ]; then
    echo "+ $*"
  else
    "$@"
  fi
}

# write_file MODE TARGET: writes stdin to TARGET with MODE.
write_file() {
  if [ "$DRY_RUN" = 1 ]; then
    echo "+ write $2 (mode $1)"
    cat >/dev/null
  else
    cat >"$2.tmp"
    chmod "$1" "$2.tmp"
    mv "$2.tmp" "$2"
  fi
}

# copy_agent DIR: the build, replaced as a whole so no old chunk remains.
copy_agent() {
  run mkdir -p "$(dirname "$1")"
  run rm -rf "$1.new"
  run cp -R "$AGENT" "$1.new"
  run rm -rf "$1"
  run mv "$1.new" "$1"
}

# copy_bundle DIR: readable by root only; the key is the device's identity.
copy_bundle() {
  run mkdir -p "$1"
  run chmod 0700 "$1"
  for file in config.json certificate.pem.crt root-ca.pem; do
    run cp "$BUNDLE/$file" "$1/$file"
    run chmod 0644 "$1/$file"
  done
  run cp "$BUNDLE/private.pem.key" "$1/private.pem.key"
  run chmod 0600 "$1/private.pem.key"
}
