#!/bin/sh
# Trunk post_build hook (see Trunk.toml): stamps this build's version and app-shell file list into
# the staged copy of public/sw.js. The version is a hash of every shipped file's name and content,
# so any change to the app makes a new service worker, which installs a new cache beside the old
# one. POSIX sh and coreutils only.
set -eu

stage=${TRUNK_STAGING_DIR:?"sw-precache.sh runs as Trunk's post_build hook (TRUNK_STAGING_DIR unset)"}
base=${TRUNK_PUBLIC_URL:-/}
case $base in */) ;; *) base="$base/" ;; esac

fail() {
  echo "sw-precache: $*" >&2
  exit 1
}

cd "$stage"
[ -f sw.js ] || fail "no sw.js in $stage: app/index.html must copy public/sw.js"

# Every shipped file but sw.js itself, hidden files and the compressed copies that the other hook
# (app/compress.mjs) writes for the server to send, in a stable order.
files=$(find . -path '*/.*' -prune -o -type f ! -path ./sw.js ! -name '*.br' ! -name '*.gz' -print |
  sed 's|^\./||' | LC_ALL=C sort)
[ -n "$files" ] || fail "nothing to precache in $stage"
[ -f index.html ] || fail "no index.html in $stage"
# Every hashed file index.html loads must be here (two builds at once into one dist can lose some).
for ref in $(grep -o '[A-Za-z0-9_./:-]*-[0-9a-f]\{16\}[A-Za-z0-9_.-]*' index.html | sort -u); do
  [ -f "${ref#"$base"}" ] || fail "index.html loads $ref, which is not in $stage"
done

# The names go into sed and JavaScript unescaped: allow only characters that need no escaping.
odd=$(printf '%s\n' "$files" | grep -v '^[A-Za-z0-9._~/+-]*$' || true)
[ -z "$odd" ] || fail "file names need escaping: $odd"
printf '%s\n' "$base" | grep -q '^[A-Za-z0-9._~/:+-]*$' || fail "public URL needs escaping: $base"

version=$(printf '%s\n' "$files" | xargs sha256sum | sha256sum | cut -c1-16)
list="'$base'"
count=1
for file in $files; do
  list="$list, '$base$file'"
  count=$((count + 1))
done

sed -e "s|__AKINAI_VERSION__|$version|" -e "s|/\*__AKINAI_PRECACHE__\*/|$list|" sw.js >sw.js.tmp
mv sw.js.tmp sw.js
if grep -q '__AKINAI_' sw.js; then
  fail "a placeholder was left in sw.js"
fi
echo "sw-precache: sw.js version $version, $count URLs precached"
