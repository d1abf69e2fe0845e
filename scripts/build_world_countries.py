"""Build src/hadath/data/place_countries.tsv: the Arabic names of the world's countries that
countries.tsv does not list, from the Unicode CLDR (through Babel's locale data).

countries.tsv holds the countries the extractor knows as actors (with nisbas, capitals and
regions). Place resolution also needs to know when an article is about another country
(المكسيك، البرازيل، النمسا): a Syrian village's name in a report from Mexico is a namesake. This
table lists, for every other country or territory with an ISO code, its CLDR Arabic name (a
bracketed word gives a second name: "ميانمار (بورما)"; a longer bracket, a gloss, and a part
after " - " are dropped: "الكونغو - كينشاسا"). CLDR's groupings (EU, UN, ...) are left out.

    python scripts/build_world_countries.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from babel import Locale  # noqa: E402

from hadath.lexicon import read_table  # noqa: E402

OUT = ROOT / "src" / "hadath" / "data" / "place_countries.tsv"
GROUPINGS = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "AQ"}  # not countries


def names_of(cldr: str) -> list[str]:
    """The names a CLDR display name gives: "ميانمار (بورما)" -> ميانمار، بورما."""
    main, _, bracket = cldr.partition("(")
    out = [main.split(" - ")[0].strip()]
    bracket = bracket.rstrip(") ")
    if bracket and " " not in bracket:
        out.append(bracket)  # a second name, not a gloss ("منطقة إدارية خاصة")
    return [n for n in out if n]


def main() -> int:
    listed = {r["iso2"] for r in read_table("countries.tsv")}
    rows = []
    for code, cldr in sorted(Locale("ar").territories.items()):
        if not re.fullmatch(r"[A-Z]{2}", code) or code in listed or code in GROUPINGS:
            continue
        names = names_of(cldr)
        if names:
            rows.append((code, "|".join(dict.fromkeys(names))))
    with OUT.open("w", encoding="utf-8") as fh:
        fh.write("# Built by scripts/build_world_countries.py from the Unicode CLDR Arabic territory "
                 "names (Unicode License; see NOTICE): the countries countries.tsv does not list.\n"
                 "# Place resolution reads them to know which countries an article is about "
                 "(a village of Syria named in a report from Mexico is a namesake).\n")
        fh.write("iso2\tnames\n")
        for code, names in rows:
            fh.write(f"{code}\t{names}\n")
    print(f"{len(rows)} countries in {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
