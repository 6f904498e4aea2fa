#!/usr/bin/env bash
# Rebuilds the Noto subsets in this folder from Debian's packages (bookworm):
#   apt-get download fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji && for d in *.deb; do dpkg -x "$d" x; done
#   pip install fonttools
#   SRC=x/usr/share/fonts bash fonts/subset.sh
# Why these choices: fonts/README.md.
set -euo pipefail
SRC=${SRC:?set SRC to the extracted usr/share/fonts}
OUT=$(cd "$(dirname "$0")" && pwd)
# Hinting is dropped everywhere: vello hints outlines itself, and it is half of a TrueType file.
for script in Arabic Hebrew Devanagari Thai Bengali Tamil Telugu Gujarati Gurmukhi Kannada \
    Malayalam Oriya Sinhala Khmer Lao Myanmar Armenian Georgian Ethiopic; do
  for w in Regular Bold; do
    pyftsubset "$SRC/truetype/noto/NotoSans$script-$w.ttf" --unicodes='*' --layout-features='*' \
      --no-hinting --notdef-outline --name-IDs='*' --output-file="$OUT/NotoSans$script-$w.subset.ttf"
  done
done
# Symbols 2: arrows, technical, enclosed alphanumerics, geometric shapes, dingbats.
pyftsubset "$SRC/truetype/noto/NotoSansSymbols2-Regular.ttf" \
  --unicodes='U+2190-21FF,U+2300-23FF,U+2460-24FF,U+25A0-27BF,U+2900-297F,U+2B00-2BFF' \
  --layout-features='*' --no-hinting --name-IDs='*' --output-file="$OUT/NotoSansSymbols2-Regular.subset.ttf"
# CJK: the SC face of the collection (index 2), the code points of cjk_charset.py, no `locl`
# (regional glyph variants were 2.5 MB a weight) and no vertical-writing features.
python3 "$OUT/cjk_charset.py" allhangul > /tmp/cjk-unicodes.txt
for w in Regular Bold; do
  pyftsubset "$SRC/opentype/noto/NotoSansCJK-$w.ttc" --font-number=2 \
    --unicodes-file=/tmp/cjk-unicodes.txt --layout-features='ccmp,kern,liga,mark,mkmk' \
    --no-hinting --name-IDs='*' --output-file="$OUT/NotoSansCJKsc-$w.subset.otf"
done
# Emoji (CBDT colour bitmaps): every single code point except the skin-tone modifiers and ZWJ,
# so skin-tone and ZWJ sequence glyphs (two thirds of the file) drop out; flags stay.
python3 - "$SRC/truetype/noto/NotoColorEmoji.ttf" > /tmp/emoji-unicodes.txt <<'PY'
import sys
from fontTools.ttLib import TTFont
cmap = TTFont(sys.argv[1]).getBestCmap()
print("\n".join("U+%04X" % c for c in sorted(cmap) if not 0x1F3FB <= c <= 0x1F3FF and c != 0x200D))
PY
pyftsubset "$SRC/truetype/noto/NotoColorEmoji.ttf" --unicodes-file=/tmp/emoji-unicodes.txt \
  --layout-features='*' --name-IDs='*' --output-file="$OUT/NotoColorEmoji.subset.ttf"
