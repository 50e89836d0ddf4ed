#!/usr/bin/env bash
# Make the macOS disk image: "DEAR Export.app" next to a link to /Applications, compressed (UDZO).
#
#   bash build/macos/make_dmg.sh ["dist/DEAR Export.app"] [dist]
#
# build/build_bundle.py --package runs this after a successful build and self-test. Needs macOS (hdiutil).
# The version comes from the app's Info.plist, which installer.spec fills from app/__init__.py.
#
# Signing: without an identity PyInstaller signs the app ad hoc, which runs on the Mac that built it. For other
# Macs, set MACOS_SIGNING_IDENTITY to a "Developer ID Application: ..." identity in the keychain *before building*:
# installer.spec hands it to PyInstaller, which signs every binary with the hardened runtime, and this script
# signs the image with it too. Then notarise the .dmg (xcrun notarytool submit --wait; xcrun stapler staple).
# Copies that are not notarised open on other Macs only through right-click > Open (docs/packaging.md).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
app="${1:-$root/dist/DEAR Export.app}"
out="${2:-$root/dist}"

if [ "$(uname -s)" != "Darwin" ]; then
  echo "make_dmg.sh needs macOS (hdiutil)." >&2
  exit 1
fi
if [ ! -d "$app" ]; then
  echo "No app bundle at: $app (run python build/build_bundle.py first)." >&2
  exit 1
fi

version="$(/usr/libexec/PlistBuddy -c 'Print CFBundleShortVersionString' "$app/Contents/Info.plist")"
arch="$(uname -m)"
dmg="$out/DEAR-Export-$version-macos-$arch.dmg"

staging="$(mktemp -d "${TMPDIR:-/tmp}/dear-export-dmg.XXXXXX")"
trap 'rm -rf "$staging"' EXIT
# ditto keeps the bundle's symbolic links, extended attributes and signature intact (cp -R may not).
ditto "$app" "$staging/DEAR Export.app"
ln -s /Applications "$staging/Applications"

mkdir -p "$out"
rm -f "$dmg"
hdiutil create -volname "DEAR Export $version" -srcfolder "$staging" -fs HFS+ -format UDZO -ov "$dmg"

if [ -n "${MACOS_SIGNING_IDENTITY:-}" ]; then
  codesign --force --timestamp --sign "$MACOS_SIGNING_IDENTITY" "$dmg"
fi
echo "$dmg"
