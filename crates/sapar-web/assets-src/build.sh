#!/usr/bin/env bash
# Rebuilds crates/sapar-web/assets/ from the pinned npm packages and the sources in this folder.
# Needs the npm registry only for `npm ci`; everything after it runs offline.
set -euo pipefail

src="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$(cd "$src/.." && pwd)/assets"
cd "$src"

npm ci --ignore-scripts --no-audit --no-fund

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

npx sass --style=compressed --no-source-map --quiet-deps \
  --load-path=node_modules --load-path=. \
  sapar.scss "$work/sapar.css"

rm -rf "$out"
mkdir -p "$out/LICENSES"

cp node_modules/htmx.org/dist/htmx.min.js "$out/htmx.min.js"
cp images/logo.svg images/favicon.svg "$out/"

# Every file the stylesheet names by /assets/NAME, found in the packages that may provide one.
search_dirs=(
  node_modules/@fontsource/pt-sans/files
  node_modules/@ministryofjustice/frontend/moj/assets/images
  node_modules/govuk-frontend/dist/govuk/assets/images
)
mapfile -t referenced < <(grep -o 'url("\{0,1\}/assets/[^")]*' "$work/sapar.css" | sed 's#^url("\{0,1\}/assets/##' | sort -u)
for name in "${referenced[@]}"; do
  found=""
  for dir in "${search_dirs[@]}"; do
    if [[ -f "$dir/$name" ]]; then found="$dir/$name"; break; fi
  done
  if [[ -z "$found" ]]; then
    echo "build.sh: sapar.css refers to /assets/$name, which no package provides" >&2
    exit 1
  fi
  cp "$found" "$out/$name"
done

# Point the stylesheet at the content-hashed names (NAME-STEM.HASH.EXT, HASH = the first 8 hex
# digits of the file's SHA-256), the same names the binary serves as immutable, so that a font or
# icon that changes also changes the stylesheet's own hash.
for name in "${referenced[@]}"; do
  hash="$(sha256sum "$out/$name" | cut -c1-8)"
  hashed="${name%.*}.$hash.${name##*.}"
  pattern="${name//./\\.}"
  sed -i "s#/assets/$pattern\([\")]\)#/assets/$hashed\1#g" "$work/sapar.css"
done
cp "$work/sapar.css" "$out/sapar.css"

cp licenses/govuk-frontend.txt "$out/LICENSES/govuk-frontend.txt"
cp licenses/moj-frontend.txt "$out/LICENSES/moj-frontend.txt"
cp node_modules/htmx.org/LICENSE "$out/LICENSES/htmx.txt"
cp node_modules/@fontsource/pt-sans/LICENSE "$out/LICENSES/pt-sans.txt"

version() { node -p "require('./node_modules/$1/package.json').version"; }
cat > "$out/LICENSES/README.md" <<README
# Licences of the vendored web assets

Written by \`assets-src/build.sh\`.

| file | project | version | licence |
|---|---|---|---|
| \`govuk-frontend.txt\` | GOV.UK Frontend (stylesheets) | $(version govuk-frontend) | MIT |
| \`moj-frontend.txt\` | MOJ Frontend (stylesheets and the SVG icons they use) | $(version @ministryofjustice/frontend) | MIT |
| \`htmx.txt\` | htmx (\`htmx.min.js\`) | $(version htmx.org) | 0BSD |
| \`pt-sans.txt\` | PT Sans by ParaType, from \`@fontsource/pt-sans\` | $(version @fontsource/pt-sans) | SIL OFL 1.1 |

The npm packages of GOV.UK Frontend and MOJ Frontend carry no licence file; their texts come from
the projects' repositories (\`LICENSE.txt\` and \`LICENSE\`) and are kept in \`assets-src/licenses/\`.

Not included: the GDS Transport typeface and the crown and royal crest images. GOV.UK Frontend
ships them, but their use is reserved for GOV.UK: the stylesheet is compiled without the
\`@font-face\` rules that load GDS Transport and without the footer component that draws the
crest, and none of those files is copied. \`logo.svg\` and \`favicon.svg\` are Sapar's own.
README

du -b "$out" --max-depth=0 | awk '{ printf "assets: %d bytes\n", $1 }'
