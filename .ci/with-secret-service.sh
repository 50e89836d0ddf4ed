#!/usr/bin/env bash
# Run a command inside a private D-Bus session with a fresh, unlocked GNOME Keyring (Secret Service).
#
#   bash .ci/with-secret-service.sh <command...>
#
# Installs gnome-keyring and dbus quietly when they are missing (root on Debian/Ubuntu). Works headless:
# DISPLAY is unset, because with a display gnome-keyring may open an unlock prompt nobody can answer.
# The keyring lives in a throw-away XDG_DATA_HOME: a stale login.keyring with another password is locked.
# The command's exit status is this script's exit status.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: bash .ci/with-secret-service.sh <command...>" >&2
  exit 2
fi

missing=""
for tool in gnome-keyring-daemon dbus-run-session dbus-send; do
  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null 2>&1 || true
    apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 gnome-keyring dbus >/dev/null
  else
    echo "with-secret-service: missing$missing; install gnome-keyring and dbus (needs root and apt-get)." >&2
    exit 1
  fi
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/dear-export-keyring.XXXXXX")
# Remove the throw-away keyring, retrying briefly in case a late writer still holds a file in it.
cleanup() {
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    rm -rf "$scratch" 2>/dev/null && return 0
    sleep 0.2
  done
  return 0
}
trap cleanup EXIT
export XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset DISPLAY WAYLAND_DISPLAY || true

# Inside the session: run the secrets component unlocked in the foreground (password on stdin) so that
# we know its process and can stop it afterwards, wait until it owns the Secret Service name (otherwise
# D-Bus activation would start a second, locked daemon), run the command, then stop the daemon.
# "$@" is passed through unchanged as the inner shell's positional parameters.
status=0
dbus-run-session -- sh -c '
  printf %s ci-pass | gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null &
  daemon=$!
  owned() {
    dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true"
  }
  tries=0
  until owned; do
    if ! kill -0 "$daemon" 2>/dev/null || [ "$tries" -ge 200 ]; then
      echo "with-secret-service: gnome-keyring-daemon did not start." >&2
      kill "$daemon" 2>/dev/null
      exit 1
    fi
    tries=$((tries + 1))
    sleep 0.05
  done
  code=0
  "$@" || code=$?
  kill "$daemon" 2>/dev/null
  wait "$daemon" 2>/dev/null
  exit "$code"
' with-secret-service "$@" 2> >(grep --line-buffered -v "Failed to set fd limit" >&2) || status=$?
exit "$status"
