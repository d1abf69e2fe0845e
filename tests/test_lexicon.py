"""The lexicon: data files, the phrase matcher, and extension by a user's files."""

from __future__ import annotations

import pytest

from hadath.errors import LexiconError
from hadath.lexicon import Lexicon, PhraseIndex, best_matches, read_table
from hadath.text import normalize, tokenize


def toks(text):
    return tokenize(normalize(text).text)


def test_every_table_loads(lex):
    assert len(lex.actors) > 100
    assert {"MIL", "COP", "GOV", "CVL", "REB", "UAF"} <= set(lex.roles)
    assert lex.country("SYR").name == "Syria" and lex.country("IL").iso3 == "ISR"
    for kind in ("territory_control", "withdrawal", "air_strike", "protest", "riot", "other"):
        assert lex.taxonomy(kind, None)["event_type"]


@pytest.mark.parametrize("form, name", [
    ("هيئة تحرير الشام", "Hayat Tahrir al-Sham"), ("جبهة النصرة", "Hayat Tahrir al-Sham"),
    ("قسد", "SDF: Syrian Democratic Forces"), ("قوات النظام", "Military Forces of Syria"),
    ("المرصد السوري لحقوق الإنسان", "SOHR: Syrian Observatory for Human Rights"),
    ("الحوثيين", "Houthis (Ansar Allah)"), ("قوات الدعم السريع", "RSF: Rapid Support Forces"),
    ("حكومة الوفاق", "Government of Libya"), ("الحشد الشعبي", "PMF: Popular Mobilization Forces"),
    ("كتائب القسام", "Al-Qassam Brigades"), ("حزب الله", "Hezbollah"),
    ("جيش الاحتلال", "Military Forces of Israel"), ("داعش", "Islamic State (IS)"),
])
def test_actor_aliases_across_the_region(lex, form, name):
    found = best_matches(lex.index.find(toks("وقال " + form), frozenset({"actor"})))
    assert [m.record.name for m in found] == [name]


def test_clitics_and_quotes_do_not_hide_an_actor(lex):
    for text in ("لهيئة تحرير الشام", "و“هيئة تحرير الشام”", "تنظيم «القاعدة»"):
        assert best_matches(lex.index.find(toks(text), frozenset({"actor"})))


def test_quoted_only_forms(lex):
    # العربية is Al Arabiya only inside quotes; otherwise it is the adjective "Arab"
    assert not lex.index.find(toks("الدول العربية"), frozenset({"actor"}))
    assert lex.index.find(toks('قال لـ"العربية"'), frozenset({"actor"}))


def test_prefix_patterns_and_alternatives():
    idx = PhraseIndex()
    idx.add("trigger", "control", "سيطر*")
    idx.add("trigger", "closure", "اغلاق*/اغلق* الطريق*/معبر*")
    found = {m.record for m in idx.find(toks("سيطرتها على المعبر بعد إغلاق الطريقين"))}
    assert found == {"control", "closure"}
    assert not idx.find(toks("إغلاق المحلات"))


def test_longest_match_wins(lex):
    found = best_matches(lex.index.find(toks("قوات سوريا الديمقراطية"), frozenset({"actor", "country"})))
    assert [m.category for m in found] == ["actor"]


def test_a_user_adds_an_alias_by_editing_a_file(tmp_path, monkeypatch):
    (tmp_path / "actors.tsv").write_text(
        "name\ttype\tcountry\tcode\tbloc\tforms\n"
        "Hayat Tahrir al-Sham\trebel_group\tSYR\tSYRREB\tSyrian opposition\tالهيئة الجهادية\n",
        encoding="utf-8")
    monkeypatch.setenv("HADATH_LEXICON_PATH", str(tmp_path))
    lex = Lexicon.load()
    found = lex.index.find(toks("قالت الهيئة الجهادية"), frozenset({"actor"}))
    assert [m.record.name for m in found] == ["Hayat Tahrir al-Sham"]


def test_a_malformed_user_row_is_a_clear_error(tmp_path, monkeypatch):
    (tmp_path / "cues.tsv").write_text("category\tpattern\tvalue\nhedge\tربما\n", encoding="utf-8")
    monkeypatch.setenv("HADATH_LEXICON_PATH", str(tmp_path))
    with pytest.raises(LexiconError, match="wrong number of columns"):
        list(read_table("cues.tsv"))
