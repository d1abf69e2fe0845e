"""Issue 13: bounded time and memory: linear extraction, the size limit of one article, caps on
what one input may leave in the store, and the odd files a folder may hold."""

from __future__ import annotations

import gzip
import json
import re
import time
from pathlib import Path

from typer.testing import CliRunner

from hadath import extract
from hadath.cli import app
from hadath.ingest import MAX_ARTICLE_BYTES, InputOptions, ingest
from hadath.store import Store
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
