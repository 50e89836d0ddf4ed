#!/bin/sh
# Install DEAR Export for the current user; no administrator rights needed.
#
#   ./install.sh               install, or upgrade an earlier copy
#   ./install.sh --uninstall   remove the program (your settings, presets and exports stay)
#
# Files go under ~/.local (set PREFIX to choose another folder):
#   ~/.local/opt/dear-export/            the program
#   ~/.local/bin/dear-export             a link to it, for the command line and schedulers
#   ~/.local/share/applications/         the menu entry (dear-export.desktop)
#   ~/.local/share/icons/hicolor/        the icon
set -eu

here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-"$HOME/.local"}
dest="$prefix/opt/dear-export"
bin="$prefix/bin"
share="$prefix/share"
sizes="16 24 32 48 64 128 256 512"

refresh_menus() {
    # Desktops pick up new entries by themselves; these only make it immediate where available.
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database "$share/applications" >/dev/null 2>&1 || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1; then
        gtk-update-icon-cache -q -t "$share/icons/hicolor" >/dev/null 2>&1 || true
    fi
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$dest"
    rm -f "$bin/dear-export" "$share/applications/dear-export.desktop"
    for size in $sizes; do
        rm -f "$share/icons/hicolor/${size}x${size}/apps/dear-export.png"
    done
    refresh_menus
    echo "DEAR Export has been removed. Your settings, presets and exported workbooks were left in place."
    exit 0
fi

if [ ! -x "$here/dear-export/dear-export" ]; then
    echo "This folder does not contain the DEAR Export program (dear-export/dear-export). Unpack the whole download and try again." >&2
    exit 1
fi

# Copy beside the old version first, then swap, so a failed copy never leaves a half-installed program.
mkdir -p "$prefix/opt" "$bin" "$share/applications"
rm -rf "$dest.new"
cp -R "$here/dear-export" "$dest.new"
rm -rf "$dest"
mv "$dest.new" "$dest"
ln -sf "$dest/dear-export" "$bin/dear-export"

for size in $sizes; do
    mkdir -p "$share/icons/hicolor/${size}x${size}/apps"
    cp "$here/icons/app-$size.png" "$share/icons/hicolor/${size}x${size}/apps/dear-export.png"
done

# The menu entry points at the installed program by its full path: ~/.local/bin is not always on the menu's PATH.
sed -e "s|^Exec=.*|Exec=\"$dest/dear-export\"|" -e "s|^TryExec=.*|TryExec=$dest/dear-export|" \
    "$here/dear-export.desktop" > "$share/applications/dear-export.desktop"
refresh_menus

echo "DEAR Export is installed. Open it from your applications menu (Office), or run:"
echo "  $bin/dear-export"
