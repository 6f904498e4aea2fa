"""Prints the code points kept in the CJK subset (see README.md), one U+XXXX a line.

GB 2312 (6,763 hanzi), Big5 level 1 (5,401 common hanzi), JIS X 0208 levels 1+2 (6,355 kanji),
all 11,172 Hangul syllables, kana, CJK punctuation and fullwidth forms, from Python's own codecs.
"""
import sys
def dbcs(codec, lead, trail):
    out=set()
    for a in lead:
        for b in trail:
            try: s=bytes([a,b]).decode(codec)
            except: continue
            if len(s)==1: out.add(ord(s))
    return out
gb = dbcs('gb2312', range(0xA1,0xF8), range(0xA1,0xFF))
big5_l1 = dbcs('big5', range(0xA4,0xC7), list(range(0x40,0x7F))+list(range(0xA1,0xFF)))  # common hanzi + level1
big5_sym = dbcs('big5', range(0xA1,0xA4), list(range(0x40,0x7F))+list(range(0xA1,0xFF)))
jis = dbcs('euc_jp', range(0xA1,0xFF), range(0xA1,0xFF))
ks = dbcs('euc_kr', range(0xA1,0xFF), range(0xA1,0xFF))
hangul_ks = {c for c in ks if 0xAC00<=c<=0xD7A3}
hanja = {c for c in ks if 0x4E00<=c<=0x9FFF}
han = lambda s: {c for c in s if 0x3400<=c<=0x9FFF or 0xF900<=c<=0xFAFF}
print("gb2312 han", len(han(gb)), "big5 l1 han", len(han(big5_l1)), "jis han", len(han(jis)), "ks hanja", len(hanja), "ks hangul", len(hangul_ks), file=sys.stderr)
base = set()
base |= set(range(0x3000,0x3040))  # CJK punct
base |= set(range(0x3040,0x3100))  # kana
base |= set(range(0x31F0,0x3200))
base |= set(range(0xFF00,0xFFF0))  # fullwidth
base |= set(range(0x3130,0x3190))  # compat jamo
base |= set(range(0x1100,0x1200))
base |= gb | big5_l1 | big5_sym | jis | hangul_ks
mode = sys.argv[1]
s = set(base)
if mode == 'allhangul': s |= set(range(0xAC00,0xD7A4))
if mode == 'hanja': s |= hanja | set(range(0xAC00,0xD7A4))
print("total", len(s), "han", len(han(s)), file=sys.stderr)
print("\n".join("U+%04X"%c for c in sorted(s)))
