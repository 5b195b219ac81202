#!/bin/sh
# Installs the Upkeep agent as the launchd daemon com.upkeep.agent:
#   the build → /usr/local/upkeep/agent,
#   the bundle → /Library/Application Support/Upkeep/bundle (0700),
#   the plist → /Library/LaunchDaemons/com.upkeep.agent.plist, then
#   launchctl bootstrap system.
set -eu
. "$(dirname "$0")/../unix-common.sh"

parse_flags "$@"
check_inputs

PLIST="$(dirname "$0")/com.upkeep.agent.plist"
TARGET="$ROOT/Library/LaunchDaemons/com.upkeep.agent.plist"
SUPPORT="$ROOT/Library/Application Support/Upkeep"
copy_agent "$ROOT/usr/local/upkeep/agent"
copy_bundle "$SUPPORT/bundle"
run mkdir -p "$SUPPORT/state" "$ROOT/Library/Logs/Upkeep" \
  "$ROOT/Library/LaunchDaemons"
run chmod 0700 "$SUPPORT/state"
sed "s#@NODE@#$NODE#" "$PLIST" | write_file 0644 "$TARGET"

if [ "$START" = 1 ]; then
  # bootout fails when it was not loaded yet; that is the first install.
  run launchctl bootout system/com.upkeep.agent 2>/dev/null || true
  run launchctl bootstrap system "$TARGET"
fi
echo "installed com.upkeep.agent${ROOT:+ below $ROOT}"
