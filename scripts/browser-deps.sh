#!/usr/bin/env bash
# Make sure Debian's Chromium is installed for the Playwright browser tests.
# Playwright cannot download its own browser here; the tests launch /usr/bin/chromium.
set -euo pipefail

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

if [ -x "$CHROMIUM" ]; then
    echo "browser-deps: $CHROMIUM present ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
    exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "browser-deps: $CHROMIUM missing; installing Debian's chromium with apt-get"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi

if [ ! -x "$CHROMIUM" ]; then
    echo "browser-deps: $CHROMIUM not found and could not be installed." >&2
    echo "Install it as root: apt-get install chromium" >&2
    exit 1
fi
echo "browser-deps: $CHROMIUM installed ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
