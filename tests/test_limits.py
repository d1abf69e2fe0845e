"""Issue 13: bounded time and memory: linear extraction, the size limit of one article, caps on
what one input may leave in the store, and the odd files a folder may hold."""

from __future__ import annotations

import gzip
import json
import re
import time

from typer.testing import CliRunner

from hadath import extract
from hadath.cli import app
from hadath.ingest import MAX_ARTICLE_BYTES, InputOptions, ingest
from hadath.store import SCHEMA_VERSION, Store
from hadath.text import normalize
from hadath.text.tokens import MAX_SENTENCE, sentence_spans

from .conftest import EXAMPLES

runner = CliRunner()


def _unpunctuated(n: int) -> str:
    """n characters of real news copy with every sentence and clause mark taken out."""
    base = " ".join(p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.ar.txt")))
    base = re.sub(r"\s+", " ", re.sub(r"[.،,:;!?؟\n\"()«»]", " ", base))
    return (base * (n // len(base) + 1))[:n]


def _seconds(text: str) -> float:
    best = float("inf")
    for _ in range(2):
        t = time.perf_counter()
        extract(text)
        best = min(best, time.perf_counter() - t)
    return best


def test_linear_time_on_text_without_punctuation():
    text = _unpunctuated(160_000)
    spans = sentence_spans(normalize(text).text)
    assert max(e - s for s, e in spans) <= MAX_SENTENCE  # the frame search spans no more
    extract(_unpunctuated(2_000))  # load the lexicon and gazetteer outside the timings
    small, large = _seconds(_unpunctuated(20_000)), _seconds(text)
    # 8 times the text: about 8 times the time (the quadratic-and-worse search took 130 times)
    assert large < 20 * max(small, 0.02), (small, large)
    assert large < 20


def test_linear_time_sentences_are_cut_only_where_there_is_no_punctuation():
    text = "قتل ثلاثة مدنيين في قصف على إدلب. " * 200
    spans = sentence_spans(normalize(text).text)
    assert len(spans) == 200 and max(e - s for s, e in spans) < 40


def test_article_size_limit_refuses_a_file_with_a_clear_message(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("قتل مدني في حلب " * (MAX_ARTICLE_BYTES // 25), encoding="utf-8")
    assert big.stat().st_size > MAX_ARTICLE_BYTES
    res = runner.invoke(app, ["extract", str(big)])
    assert res.exit_code == 9
    assert "over the 2 MB limit of one article" in res.output and "[H027]" in res.output
    good = tmp_path / "good_2024-12-01.txt"
    good.write_text("قتل ثلاثة مدنيين في قصف مدفعي على مدينة إدلب أمس.", encoding="utf-8")
    store = Store(tmp_path / "s.db")
    rep = ingest([str(tmp_path)], store, InputOptions(), jobs=1)
    assert rep.new == 1 and rep.bad == 1
    assert "over the 2 MB limit" in rep.problems[0].reason


def test_article_size_limit_on_standard_input():
    res = runner.invoke(app, ["extract", "-"], input="قتل مدني في حلب " * (MAX_ARTICLE_BYTES // 25))
    assert res.exit_code == 9 and "standard input is" in res.output


def test_jsonl_lines_read_with_a_size_limit(tmp_path):
    """A .jsonl.gz whose one line decompresses to more than the limit is skipped and reported,
    never held whole; the lines after it are read."""
    path = tmp_path / "big.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "a", "text": "قتل مدني في قصف على حلب."}, ensure_ascii=False) + "\n")
        fh.write('{"id": "huge", "text": "' + "ا" * 3 * MAX_ARTICLE_BYTES + '"}\n')
        fh.write(json.dumps({"id": "c", "text": "قتل مدنيان في قصف على إدلب."}, ensure_ascii=False) + "\n")
    store = Store(tmp_path / "s.db")
    rep = ingest([str(path)], store, InputOptions(), jobs=1)
    assert rep.new == 2 and rep.bad == 1
    assert rep.problems[0].origin.endswith("big.jsonl.gz:2")
    assert "the line is 12.0 MB, over the 2 MB limit" in rep.problems[0].reason


def test_caps_on_skipped_lines_per_input(tmp_path):
    """Millions of `{}` lines once grew the skipped list and ingest_errors without bound: the
    first MAX_LISTED of one input are listed, the rest counted in one summary row."""
    from hadath.ingest import MAX_LISTED

    path = tmp_path / "empty.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("{}\n" * 5000)
        fh.write(json.dumps({"id": "ok", "text": "قتل مدني في قصف على حلب."}, ensure_ascii=False) + "\n")
    other = tmp_path / "other.jsonl"
    other.write_text("{}\n" * 3, encoding="utf-8")
    store = Store(tmp_path / "s.db")
    rep = ingest([str(path), str(other)], store, InputOptions(), jobs=1, batch=500)
    assert rep.new == 1 and rep.bad == 5003
    assert len(rep.problems) == MAX_LISTED + 1 + 3
    summary = rep.problems[MAX_LISTED]
    assert summary.origin == str(path) and summary.reason.startswith(f"{5000 - MAX_LISTED:,} more bad lines")
    assert "no text field" in summary.reason
    assert store.counts()["errors"] == MAX_LISTED + 1 + 3
    res = runner.invoke(app, ["ingest", str(path), "--db", str(tmp_path / "t.db"), "-j", "1"])
    assert res.exit_code == 0, res.output
    assert res.output.count("no text field") <= 20 and "more (hadath ingest --report)" in res.output


def test_caps_on_skipped_lines_in_extract_jsonl(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text("{}\n" * 500, encoding="utf-8")
    res = runner.invoke(app, ["extract", "--jsonl", str(path)])
    assert res.exit_code == 0
    assert res.output.count("[H026]") == 20 and "480 more bad lines skipped" in res.output


def test_utf8_bom_on_first_jsonl_line_accepted(tmp_path):
    path = tmp_path / "bom.jsonl"
    line = json.dumps({"id": "a", "text": "قتل مدني في قصف على حلب."}, ensure_ascii=False)
    path.write_bytes(b"\xef\xbb\xbf" + line.encode("utf-8") + b"\n")
    rep = ingest([str(path)], Store(tmp_path / "s.db"), InputOptions(), jobs=1)
    assert (rep.new, rep.bad) == (1, 0)
    res = runner.invoke(app, ["extract", "--jsonl", str(path)])
    assert res.exit_code == 0 and "0 bad lines skipped" in res.output


def test_non_gzip_gz_is_a_clear_error(tmp_path):
    path = tmp_path / "plain.jsonl.gz"
    path.write_text('{"id": "a", "text": "قتل مدني في حلب"}\n', encoding="utf-8")
    res = runner.invoke(app, ["extract", "--jsonl", str(path)])
    assert res.exit_code == 3 and "not gzip data" in res.output and "Traceback" not in res.output
    cut = tmp_path / "cut.jsonl.gz"
    data = gzip.compress("".join(f'{{"id": "{k * 7919 % 10007}", "text": "قتل مدني في حلب"}}\n'
                                 for k in range(2000)).encode())
    cut.write_bytes(data[:len(data) // 2])
    rep = ingest([str(path), str(cut)], Store(tmp_path / "s.db"), InputOptions(), jobs=1)
    reasons = [p.reason for p in rep.problems]
    assert any("not gzip data" in r for r in reasons)
    assert any(r.startswith("cannot read past line") for r in reasons)


def test_dangling_symlinks_reported(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_2024-12-01.txt").write_text("قتل مدني في قصف على حلب.", encoding="utf-8")
    (folder / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    rep = ingest([str(folder)], Store(tmp_path / "s.db"), InputOptions(), jobs=1)
    assert rep.new == 1 and rep.bad == 1
    assert rep.problems[0].origin.endswith("gone.txt")
    assert "dangling symbolic link" in rep.problems[0].reason


def test_distinct_articles_sharing_a_url_not_dropped(tmp_path, new_db):
    path = tmp_path / "live.jsonl"
    rows = [{"id": "1", "url": "https://example.org/live", "text": "قتل مدني في قصف على حلب."},
            {"id": "2", "url": "https://example.org/live", "text": "قتل ثلاثة مدنيين في قصف على إدلب."},
            {"id": "3", "url": "https://example.org/live", "text": "قتل مدني في قصف على حلب."}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    rep = ingest([str(path)], Store(new_db()), InputOptions(), jobs=1)
    assert (rep.new, rep.duplicates) == (2, 1)  # the third is the first's text again


def test_distinct_articles_sharing_a_url_in_a_store_of_schema_1(tmp_path, new_db):
    """A store made before schema 2 (documents.url UNIQUE) is upgraded in place."""
    from sqlalchemy import text

    url = new_db()
    store = Store(url)
    ingest([str(EXAMPLES)], store, InputOptions(), jobs=1)
    before = store.dump()
    with store.engine.begin() as conn:  # put the store back to schema 1
        if conn.dialect.name == "postgresql":
            conn.execute(text("DROP INDEX ix_documents_url"))
            conn.execute(text("ALTER TABLE documents ADD CONSTRAINT documents_url_key UNIQUE (url)"))
        else:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            ddl = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = 'documents'")).scalar_one()
            conn.execute(text(ddl.replace("CREATE TABLE documents", "CREATE TABLE d1", 1)
                              .rstrip()[:-1].rstrip() + ", \n\tUNIQUE (url)\n)"))
            conn.execute(text("INSERT INTO d1 SELECT * FROM documents"))
            conn.execute(text("DROP TABLE documents"))
            conn.execute(text("ALTER TABLE d1 RENAME TO documents"))
        conn.execute(text("UPDATE meta SET value = '1' WHERE key = 'schema_version'"))
    upgraded = Store(url)
    assert upgraded.schema_version() == SCHEMA_VERSION and upgraded.dump() == before
    path = tmp_path / "same_url.jsonl"
    path.write_text("\n".join(json.dumps({"id": str(k), "url": "https://example.org/x", "text": t},
                                         ensure_ascii=False)
                              for k, t in enumerate(["قتل مدني في قصف على حلب.", "قتل مدنيان في قصف على إدلب."]))
                    + "\n", encoding="utf-8")
    assert ingest([str(path)], upgraded, InputOptions(), jobs=1).new == 2
