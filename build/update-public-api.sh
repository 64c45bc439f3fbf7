#!/usr/bin/env bash
# Rewrites each package's PublicAPI.Unshipped.txt from the code: what the public API has gained since the last release
# (PublicAPI.Shipped.txt) and, as *REMOVED* lines, what it has lost. Run it after a deliberate API change, review the
# diff of the Unshipped files, and list the change in CHANGELOG.md (docs/api-guide.md, "Changing the public API").
#
#   build/update-public-api.sh [Norton.Core ...]      (default: every package that tracks its API)
#
# How: with both files emptied, the analyzers' own code fix (dotnet format, RS0016) writes the whole current API; the
# Unshipped file is then the difference to the Shipped one. The Shipped files change only at a release (move the
# Unshipped lines there, drop the *REMOVED* ones with their Shipped lines).
set -euo pipefail
cd "$(dirname "$0")/.."

projects=("$@")
if [ ${#projects[@]} -eq 0 ]; then
  for f in Norton.*/PublicAPI.Shipped.txt; do projects+=("$(dirname "$f")"); done
fi

for project in "${projects[@]}"; do
  dir="${project%/}"
  shipped="$dir/PublicAPI.Shipped.txt" unshipped="$dir/PublicAPI.Unshipped.txt"
  [ -f "$shipped" ] || { echo "$shipped: not found (is $dir a package that tracks its API?)" >&2; exit 2; }
  work=$(mktemp -d)
  cp "$shipped" "$work/shipped"
  printf '#nullable enable\n' > "$shipped"
  printf '#nullable enable\n' > "$unshipped"
  # The fix adds every public symbol to Unshipped; restore Shipped whatever happens.
  if ! dotnet format analyzers "$dir/$(basename "$dir").csproj" --diagnostics RS0016 --severity info -v q; then
    cp "$work/shipped" "$shipped"; rm -rf "$work"
    echo "$dir: dotnet format failed" >&2; exit 1
  fi
  grep -v '^#nullable' "$unshipped" | LC_ALL=C sort -u > "$work/current" || true
  cp "$work/shipped" "$shipped"
  grep -v '^#nullable' "$shipped" | LC_ALL=C sort -u > "$work/released" || true
  {
    printf '#nullable enable\n'
    LC_ALL=C comm -23 "$work/current" "$work/released"
    LC_ALL=C comm -13 "$work/current" "$work/released" | sed 's/^/*REMOVED*/'
  } > "$unshipped"
  echo "$dir: $(LC_ALL=C comm -23 "$work/current" "$work/released" | wc -l) added, $(LC_ALL=C comm -13 "$work/current" "$work/released" | wc -l) removed since the last release"
  rm -rf "$work"
done
