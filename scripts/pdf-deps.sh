#!/usr/bin/env bash
# Make sure WeasyPrint can load Debian's Pango (and its HarfBuzz, fontconfig and fonts) for the
# PDFs of blocks/sharing: the prior-authorization packet and the printable episode summary.
# Checked on Debian 12 with Pango 1.50 (see ../shared/STACK.md).
set -euo pipefail

PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
PY="${PY:-.venv/bin/python}"

missing=()
for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$package")
done

if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "pdf-deps: installing ${missing[*]} with apt-get"
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
    else
        echo "pdf-deps: missing ${missing[*]}; install them as root: apt-get install ${missing[*]}" >&2
        exit 1
    fi
fi

if [ -x "$PY" ] && "$PY" -c "import weasyprint" 2>/dev/null; then
    echo "pdf-deps: WeasyPrint $("$PY" -c 'import weasyprint; print(weasyprint.__version__)') loads Pango"
else
    echo "pdf-deps: Debian packages present (${PACKAGES[*]}); WeasyPrint is not importable from $PY yet"
fi
