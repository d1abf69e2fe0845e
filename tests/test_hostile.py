"""Issue 13: a hostile-input suite. Each kind of input is built here, on the fly, and given to
``hadath extract``, ``hadath ingest`` (alone, and inside a folder of good files),
``hadath geocode`` and ``hadath gazetteer import``: none may end in a traceback, each must
exit with a documented code (the README's table), the good files beside it must be stored,
and each run must stay within a fixed time and memory bound.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hadath.cli import app
from hadath.ingest import MAX_ARTICLE_BYTES
from hadath.store import Store

runner = CliRunner()

# The exit codes the README documents (### Exit codes and errors).
DOCUMENTED = {0, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16}
SECONDS = 20.0  # each run, on a slow CI machine
PEAK_MB = 900  # the test process's peak resident memory during one run

AR = "قتل ثلاثة مدنيين في قصف مدفعي على مدينة إدلب أمس، بحسب المرصد السوري."
GOOD = {"good1_2024-12-01.txt": "قتل مدنيان في غارة جوية على مدينة سراقب أمس.",
        "good2_2024-12-02.txt": "اندلعت اشتباكات عنيفة في مدينة حماة أمس.",
        "good3.jsonl": json.dumps({"id": "g3", "date": "2024-12-03",
                                   "text": "قتل جندي في هجوم على مدينة الموصل."}, ensure_ascii=False) + "\n"}


def _jl(*rows) -> bytes:
    return ("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows)
            + "\n").encode("utf-8")


def _laughs() -> bytes:
    ents = "".join(f'<!ENTITY l{i} "{("&l%s;" % (i - 1 if i > 1 else "")) * 10}">\n' for i in range(1, 10))
    return ('<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY l "lol">\n' + ents + ']>\n'
            f'<rss version="2.0"><channel><title>t</title><item><title>غارة &l9;</title><description>{AR}'
            '</description></item></channel></rss>\n').encode()


def _feed(items: str, head: str = '<?xml version="1.0"?>') -> bytes:
    return f'{head}<rss version="2.0"><channel><title>Wire</title>{items}</channel></rss>'.encode()


def _gzip_bomb() -> bytes:
    return gzip.compress(b'{"id": "bomb", "text": "' + b"a" * (40 * 1024 * 1024) + b'"}\n', 9)


def _bidi() -> bytes:
    return ("\u202e\u2066" + AR + "\u2069\u200f" * 500 + "\u202c").encode()


# kind: (file name, content builder, exit code of extract, exit code of ingest alone)
KINDS: dict[str, tuple] = {
    "empty": ("empty.txt", lambda: b"", 4, 15),
    "blank": ("blank.txt", lambda: b" \n\t\n  " * 100, 4, 15),
    "binary": ("random.txt", lambda: random.Random(1).randbytes(20000), 5, 15),
    "nul at start": ("nul.txt", lambda: b"\x00\x00" + AR.encode(), 5, 15),
    "nul inside": ("nulinside.txt", lambda: (AR * 80).encode() + b"\x00" + AR.encode(), 0, 0),
    "utf-16 with bom": ("u16.txt", lambda: AR.encode("utf-16"), 6, 15),
    "utf-16 without bom": ("u16le.txt", lambda: (AR * 5).encode("utf-16-le"), 6, 15),
    "windows-1256": ("cp.txt", lambda: (AR * 3).encode("cp1256"), 6, 15),
    "one invalid byte": ("bad.txt", lambda: AR.encode()[:20] + b"\xff" + AR.encode()[20:], 6, 15),
    "cut in a character": ("cut.txt", lambda: AR.encode()[:-2], 6, 15),
    "no arabic": ("english.txt", lambda: b"Three civilians were killed in Idlib yesterday.", 7, 15),
    "superscript digits": ("sup.txt", lambda: "قتل ² مدنيين في غارة على حلب ⁵".encode(), 0, 0),
    "circled digits": ("circ.txt", lambda: "قتل ① مدنيين في غارة على حلب".encode(), 0, 0),
    "400 digits before million": ("d400.txt", lambda: ("قتل " + "9" * 400 + " مليون مدني في حلب").encode(), 0, 0),
    "toll of 2**63": ("toll.txt", lambda: "ارتفع عدد القتلى إلى 9223372036854775808 قتيلا في حلب".encode(), 0, 0),
    "5000-digit number": ("d5000.txt", lambda: ("قتل " + "7" * 5000 + " مدنيين في حلب").encode(), 0, 0),
    "arabic-indic digits run": ("indic.txt", lambda: ("قتل " + "٩" * 3000 + " مدنيين في حلب").encode(), 0, 0),
    "999999999 days ago": ("days.txt", lambda: "قصف الطيران منذ 999999999 ايام مدينة حلب".encode(), 0, 0),
    "bidi controls": ("bidi.txt", _bidi, 0, 0),
    "10000 diacritics": ("marks.txt", lambda: ("قتل" + "\u064e\u0651" * 5000 + " مدني في حلب").encode(), 0, 0),
    "zero-width and emoji": ("zw.txt", lambda: ("\u200d😀\u200c".join(AR.split()) * 20).encode(), 0, 0),
    "cr line ends": ("cr.txt", lambda: (AR + "\r").encode() * 50, 0, 0),
    "one word of 100k letters": ("word.txt", lambda: ("قتل مدني في حلب " + "ب" * 100_000).encode(), 0, 0),
    "one trigger 30k times": ("trig.txt", lambda: ("قتل " * 30_000 + "في حلب").encode(), 0, 0),
    "no punctuation 100 KB": ("nopunct.txt", lambda: (re.sub(r"[.،]", "", AR) + " ").encode() * 1400, 0, 0),
    "1500 short lines": ("lines.txt", lambda: ("\n".join(f"{AR} {k}" for k in range(1500))).encode(), 0, 0),
    "over the size limit": ("big.txt", lambda: (AR + " ").encode() * (MAX_ARTICLE_BYTES // 120 + 10), 9, 15),
    "html script only": ("script.html", lambda: b"<html><body><script>var x=1;</script></body></html>", 4, 15),
    "html nested 50k deep": ("deep.html", lambda: ("<html><body>" + "<div>" * 50_000 + f"<p>{AR}</p>"
                                                   + "</div>" * 50_000 + "</body></html>").encode(), 4, 15),
    "html huge attribute": ("attr.html", lambda: (f'<html><body><p title="{"x" * 1_000_000}">{AR}</p>'
                                                  "</body></html>").encode(), (0, 4), (0, 15)),
    "feed entity expansion": ("laughs.rss", _laughs, 7, 0),
    "feed external entity": ("xxe.rss", lambda: _feed(f"<item><title>غارة &xxe;</title><description>{AR}"
                                                      "</description></item>", '<?xml version="1.0"?>'
                                                      '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'), (0, 7), 0),
    "feed cut short": ("cut.rss", lambda: _feed(f"<item><title>غارة</title><description>{AR}")[:-20], 6, (0, 15)),
    "feed without entries": ("none.rss", lambda: _feed(""), 7, 15),
    "feed javascript link": ("js.xml", lambda: _feed(f"<item><title>غارة</title><link>javascript:alert(1)</link>"
                                                     f"<description>{AR}</description></item>"), (0, 7), 0),
    "jsonl lone surrogate": ("sur.jsonl", lambda: _jl('{"id": "s", "text": "قتل 5 مدنيين في حلب \\ud800"}'), 0, 0),
    "jsonl nul escape": ("nul.jsonl", lambda: _jl('{"id": "n", "text": "قتل 5 مدنيين \\u0000 في حلب"}'), 0, 0),
    "jsonl nested 100k deep": ("deep.jsonl", lambda: _jl("[" * 100_000 + "]" * 100_000), 0, 15),
    "jsonl integer over 4300 digits": ("int.jsonl", lambda: _jl('{"id": ' + "1" * 5000 + ', "text": "قتل مدني في حلب"}'), 0, 15),
    "jsonl date 0001-01-01": ("d1.jsonl", lambda: _jl({"id": "a", "date": "0001-01-01", "text": "قصف الطيران أمس مدينة حلب"}), 0, 0),
    "jsonl date 9999-12-31": ("d9.jsonl", lambda: _jl({"id": "b", "date": "9999-12-31", "text": "قصف الطيران غدا مدينة حلب"}), 0, 0),
    "jsonl epoch overflow": ("ep.jsonl", lambda: _jl({"id": "c", "time": 10**400, "text": AR}), 0, 0),
    "jsonl bom": ("bom.jsonl", lambda: b"\xef\xbb\xbf" + _jl({"id": "d", "text": AR}), 0, 0),
    "jsonl 20000 empty objects": ("empty.jsonl", lambda: b"{}\n" * 20_000, 0, 15),
    "jsonl arrays and numbers": ("arr.jsonl", lambda: _jl("[1, 2]", "3", '"x"', "null", {"text": 5}), 0, 15),
    "jsonl line over the size limit": ("huge.jsonl", lambda: _jl('{"id": "h", "text": "' + "ا" * MAX_ARTICLE_BYTES + '"}',
                                                                {"id": "ok", "text": AR}), 0, 0),
    "gzip bomb line": ("bomb.jsonl.gz", _gzip_bomb, 0, 15),
    "not gzip": ("plain.jsonl.gz", lambda: _jl({"id": "p", "text": AR}), 3, 15),
    "gzip cut short": ("cut.jsonl.gz", lambda: gzip.compress(b"".join(
        _jl({"id": str(k * 7919 % 10007), "text": f"{AR} {k * 7919 % 10007}"}) for k in range(500)))[:1500], 3, 0),
    "odd file name": ("غارة %_ على حلب 2024-12-01 ;'.txt", lambda: AR.encode(), 0, 0),
}


def _peak_mb() -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def run(args: list[str], allowed, input: str | None = None):
    """One run, bounded in time and memory, ending with an allowed, documented exit code."""
    _reset_peak()
    start = time.perf_counter()
    res = runner.invoke(app, args, input=input)
    seconds = time.perf_counter() - start
    peak = _peak_mb()
    allowed = set(allowed) if isinstance(allowed, (set, tuple, list)) else {allowed}
    where = f"{' '.join(args)[:120]}: exit {res.exit_code}\n{res.output[-800:]}"
    assert res.exit_code in allowed and res.exit_code in DOCUMENTED, where
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise AssertionError(f"{where}\nraised {res.exception!r}")
    assert "Traceback" not in res.output, where
    assert seconds < SECONDS, f"{where}\ntook {seconds:.1f} s"
    if peak is not None:
        assert peak < PEAK_MB, f"{where}\npeak memory {peak:.0f} MB"
    return res


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    """A gazetteer store seeded with the built-in places, copied for each import (seeding
    one takes longer than any import here)."""
    from hadath.geo.store import GazetteerStore

    path = tmp_path_factory.mktemp("gaz") / "seeded.sqlite"
    GazetteerStore(path).close()
    return path


def _gazetteer(seeded: Path, tmp_path: Path) -> Path:
    import shutil

    return Path(shutil.copy(seeded, tmp_path / "g.sqlite"))


@pytest.mark.parametrize("kind", list(KINDS))
def test_hostile_input(kind, tmp_path, seeded):
    name, build, extract_code, ingest_code = KINDS[kind]
    data = build()
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / name
    path.write_bytes(data)
    jsonl = name.endswith((".jsonl", ".jsonl.gz"))

    # extract
    args = ["extract", "--jsonl", str(path)] if jsonl else ["extract", str(path), "--date", "2024-12-01"]
    run(args, extract_code)

    # ingest, alone
    alone = tmp_path / "alone.db"
    run(["ingest", str(path), "--db", str(alone), "-j", "1"], ingest_code)

    # ingest, inside a folder of good files: the good files are stored, the run succeeds
    for good, text in GOOD.items():
        (folder / good).write_text(text, encoding="utf-8")
    db = tmp_path / "folder.db"
    res = run(["ingest", str(folder), "--db", str(db), "-j", "1", "--batch", "2"], 0)
    with Store(db, read_only=True).engine.connect() as conn:
        origins = [r[0] for r in conn.exec_driver_sql("SELECT origin FROM documents")]
    for good in GOOD:
        assert any(Path(o.split(":g3")[0]).name == good for o in origins), (good, origins, res.output)
    run(["ingest", "--report", "--db", str(db)], 0)

    # geocode: the input's text, one line at a time (at most the first 200 lines)
    text = data.decode("utf-8", "replace") if not name.endswith(".gz") else ""
    lines = "\n".join(text.splitlines()[:100])[:50_000]
    run(["geocode", "-", "--json"], (0, 7), input=lines)
    if text.strip():
        run(["geocode", lines.splitlines()[0][:20_000] if lines.strip() else "x"], (0, 7))

    # gazetteer import: the input as a list of places
    gaz = _gazetteer(seeded, tmp_path)
    run(["gazetteer", "import", "csv", str(path), "--name-col", "name", "--lat-col", "lat",
         "--lon-col", "lon", "--gazetteer", str(gaz)], (0, 11))


@pytest.mark.parametrize("rows", [
    "name,lat,lon,pop\nA,33.5,36.3,1e400\nB,33.6,36.4,5\n",
    "name,lat,lon,pop\nA,33.5,36.3,99999999999999999999999\nB,33.6,36.4,5\n",
    "name,lat,lon,pop\nA,33.5\nB,33.6,36.4,5\n",
    'name,lat,lon,pop\nB,33.6,36.4,5\n"A,33.5,36.3,5\n' + "x" * 300_000 + "\n",
    "name,lat,lon,pop\n" + "g" * 100_000 + ",33.5,36.3,5\nB,33.6,36.4,5\n",
    "name,lat,lon,pop\n" + " ".join(["مدرسة"] * 60) + ",33.5,36.3,5\nB,33.6,36.4,5\n",
    "name,lat,lon,pop\nA,nan,36.3,5\nB,33.6,36.4,5\n",
    "name,lat,lon,pop\nA,1e999,36.3,5\nB,33.6,36.4,5\n",
], ids=["inf population", "huge population", "short row", "unterminated quote", "100k-letter name",
        "60 ambiguous words", "nan latitude", "inf latitude"])
def test_hostile_gazetteer_rows(rows, tmp_path, seeded):
    f = tmp_path / "places.csv"
    f.write_text(rows, encoding="utf-8")
    res = run(["gazetteer", "import", "csv", str(f), "--name-col", "name", "--lat-col", "lat",
               "--lon-col", "lon", "--population-col", "pop", "--gazetteer",
               str(_gazetteer(seeded, tmp_path))], 0)
    assert "1 places added" in res.output and "bad row" in res.output


def test_hostile_suite_has_at_least_40_kinds():
    assert len(KINDS) >= 40 and len({v[0] for v in KINDS.values()}) == len(KINDS)
    assert os.environ.get("HADATH_HOSTILE_SKIP") is None
