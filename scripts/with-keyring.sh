#!/usr/bin/env bash
# Runs a command where the OS keychain works: as it is when a Secret Service answers on the session bus, otherwise
# (CI, a server, a container) inside a private D-Bus session with a throw-away unlocked gnome-keyring, so that
# tests and benchmarks never touch the user's own keychain.  Usage: scripts/with-keyring.sh COMMAND [ARGS...]
set -euo pipefail

has_secret_service() {
  [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] && command -v dbus-send >/dev/null &&
    timeout 10 dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
      org.freedesktop.DBus.Peer.Ping >/dev/null 2>&1
}

if [ -z "${OAUTH_DESK_PRIVATE_KEYRING:-}" ] && ! has_secret_service; then
  if ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
    echo "with-keyring: no D-Bus session and no dbus-run-session/gnome-keyring-daemon to start one (apt-get install dbus dbus-x11 gnome-keyring)" >&2
    exit 1
  fi
  exec dbus-run-session -- env OAUTH_DESK_PRIVATE_KEYRING=1 bash "$0" "$@"
fi
if [ -n "${OAUTH_DESK_PRIVATE_KEYRING:-}" ]; then
  # A throw-away login keyring in a throw-away folder (a keyring left by an earlier run, with another password,
  # would stay locked), unlocked with a throw-away password, living only as long as this session.
  keyring_home="$(mktemp -d)"
  trap 'rm -rf "$keyring_home"' EXIT
  export XDG_DATA_HOME="$keyring_home/data" XDG_RUNTIME_DIR="$keyring_home/run"
  mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
  printf 'oauth-desk-tests' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
fi

"$@"
