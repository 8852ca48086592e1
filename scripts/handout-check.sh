#!/usr/bin/env bash
# Renders the reading-list handout in headless Chromium on A4 and on Letter, and checks what came out: one
# page or more of the right size, every reference and warning present in the PDF's own text, and a PNG of
# page 1 for a person to look at. Needs chromium and poppler-utils (apt-get install chromium poppler-utils).
# Usage: scripts/handout-check.sh [out-dir]   (exits non-zero on any failure; keeps the PNGs in out-dir)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$(mktemp -d)}"
mkdir -p "$out"
fail() {
  echo "handout check failed: $*" >&2
  exit 1
}
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
[ -n "$browser" ] || fail "no chromium (apt-get install chromium)"
command -v pdftoppm >/dev/null || fail "no pdftoppm (apt-get install poppler-utils)"

cd "$root"
node -r @swc-node/register scripts/handout-sample.ts "$out/handout.html"

for paper in A4 Letter; do
  # The handout sets no page size (it prints on either); the check pins each in turn.
  sed "s|<style>|<style>@page { size: $paper; }|" "$out/handout.html" >"$out/handout-$paper.html"
  "$browser" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
    --print-to-pdf="$out/handout-$paper.pdf" "file://$out/handout-$paper.html" 2>/dev/null
  [ -s "$out/handout-$paper.pdf" ] || fail "$paper: no PDF"
  size="$(pdfinfo "$out/handout-$paper.pdf" | sed -n 's/^Page size: *//p')"
  pages="$(pdfinfo "$out/handout-$paper.pdf" | sed -n 's/^Pages: *//p')"
  case "$paper" in
    A4) [[ "$size" == *"(A4)" ]] || fail "A4 page is $size" ;;
    Letter) [[ "$size" == *"(letter)" ]] || fail "Letter page is $size" ;;
  esac
  text="$(pdftotext -layout "$out/handout-$paper.pdf" -)"
  for expected in 22663011 12091962 35649368 NCT02576665 RETRACTED Erratum "Retraction in" "Terminated" "Randomized"; do
    grep -q -- "$expected" <<<"$text" || fail "$paper: \"$expected\" is not in the printed text"
  done
  pdftoppm -png -r 70 -f 1 -l 1 "$out/handout-$paper.pdf" "$out/handout-$paper"
  echo "$paper: $pages page(s), $size; every reference and warning printed; page 1 → $out/handout-$paper-1.png"
done
