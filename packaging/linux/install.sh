#!/bin/sh
# Installs the Upkeep agent as the systemd service upkeep-agent:
#   the build → /opt/upkeep/agent, the bundle → /etc/upkeep/bundle (0700),
#   the unit → /etc/systemd/system/upkeep-agent.service, then enable --now.
set -eu
. "$(dirname "$0")/../unix-common.sh"

parse_flags "$@"
check_inputs

UNIT="$(dirname "$0")/upkeep-agent.service"
copy_agent "$ROOT/opt/upkeep/agent"
copy_bundle "$ROOT/etc/upkeep/bundle"
run mkdir -p "$ROOT/etc/systemd/system"
sed "s#@NODE@#$NODE#" "$UNIT" |
  write_file 0644 "$ROOT/etc/systemd/system/upkeep-agent.service"

if [ "$START" = 1 ]; then
  run systemctl daemon-reload
  run systemctl enable upkeep-agent.service
  # restart: a reinstall with a new bundle takes effect at once.
  run systemctl restart upkeep-agent.service
fi
echo "installed upkeep-agent${ROOT:+ below $ROOT}"
