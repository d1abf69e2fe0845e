"""The village layer (Who's On First), names that are also common words, resolution by the
context of the sentence and the article, regions, and looking names up (issue 12)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hadath.cli import app
from hadath.extract.geocode import geocode
from hadath.extract.mentions import analyse
from hadath.geo import DocContext, Gazetteer, GazetteerStore, distance_km
from hadath.geo.builtin import (BuiltinStore, _open_for, _unpack, name_variants, packaged_path,
                                read_place_table, source_digest)
from hadath.geo.search import lookup, search
from hadath.text import normalize, normalize_key, sentence_spans

runner = CliRunner()


def article_places(text, lex, gaz):
    """Every resolved place of a text, sentence by sentence, with one article context."""
    norm = normalize(text)
    ctx = DocContext()
    out = []
    for k, (s, e) in enumerate(sentence_spans(norm.text)):
        sent = analyse(norm, s, e, k, lex, gaz, ctx, dt.date(2024, 12, 1), places=True)
        out += [p.place for p in sent.places if p.place is not None]
    return out


def named(places, arabic):
    return [p for p in places if p.text == arabic or p.text.endswith(arabic)]


# --- the village layer --------------------------------------------------------------------------

def test_the_compiled_gazetteer_matches_its_tables(tmp_path):
    # a place table edited without `python scripts/build_gazetteer_db.py` fails here
    target = tmp_path / "places.sqlite"
    _unpack(packaged_path(), target)
    store = BuiltinStore(target)
    assert store.digest == source_digest()
    assert store.count() > 80_000


def test_the_packaged_file_is_unpacked_once_into_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    store = _open_for.__wrapped__(source_digest())
    assert Path(store.path).parent == tmp_path / "hadath" and store.count() > 80_000


def test_the_built_in_places_load_lazily(gaz):
    # a start reads no place: only the set of first words and of skeletons
    fresh = Gazetteer(builtin=BuiltinStore(gaz.builtin.path))
    assert fresh.builtin._by_id == {}
    assert normalize_key("كفرنبل") in fresh.cores


def test_a_village_absent_from_geonames_cities500(lex, gaz):
    ps = article_places("قصفت الطائرات قرية كفر عروق في ريف إدلب", lex, gaz)
    village = named(ps, "كفر عروق")[0]
    assert village.gazetteer_id == "wof:1193005229" and village.precision == 1
    assert distance_km(village.lat, village.lon, 36.121, 36.656) < 5


def test_wof_records_of_shipped_places_add_names_not_duplicates(gaz):
    assert gaz.get("wof:890449847") is None  # Kafranbel is GeoNames' row...
    kafranbel = gaz.get("gn:168661")
    assert "wof:890449847" in kafranbel.source  # ... which keeps the WOF id
    # a UCDP place known by its English name only now has WOF's Arabic name
    assert "أبديتا" in gaz.get("ucdp:abdita:35.7083:36.5333").names_ar


def test_every_wof_row_keeps_its_id_and_a_shipped_target():
    rows = list(read_place_table("places_wof.tsv.gz"))
    assert all(r["gid"].startswith(("wof:", "wofadm:")) for r in rows)
    shipped = {r["gid"] for t in ("gazetteer.tsv", "places_curated.tsv", "places_ucdp.tsv")
               for r in read_place_table(t)}
    targets = {r["same_as"] for r in rows if r["same_as"]}
    assert targets and targets <= shipped


@pytest.mark.parametrize("spelling", ["كفرنبل", "كفر نبل"])
def test_joined_and_split_spellings(lex, gaz, spelling):
    ps = article_places(f"قصف على مدينة {spelling} في ريف إدلب", lex, gaz)
    assert named(ps, spelling)[0].gazetteer_id == "gn:168661"


def test_name_variants():
    assert name_variants("كفر نبل") == ["كفر نبل", "كفرنبل"]
    assert name_variants("تلرفعت") == ["تلرفعت", "تل رفعت"]
    assert name_variants("دير الزور") == ["دير الزور"]  # no "ديرالزور"


# --- names that are also common words ---------------------------------------------------------

def test_the_common_word_list_is_derived_data(gaz):
    rows = list(read_place_table("place_commonwords.tsv"))
    assert len(rows) > 1000 and {r["rule"] for r in rows} == {"never", "feature", "cue"}
    assert all(int(r["count"]) > 0 for r in rows)  # every row is a corpus count, not a guess
    assert gaz.rules[normalize_key("حربية")] in ("feature", "never")


@pytest.mark.parametrize("text", [
    "قصفت طائرات حربية الأحياء السكنية في المدينة",
    "قتل 23 جنديا في كمين نصبه مسلحون",
    "اندلعت اشتباكات في جنوب البلاد",
    "قتل ثلاثة في صفوف القوات الحكومية",
    "قصف على القصر الجمهوري",
    "وتجمع الجمعية، مثل غيرها من بنوك الطعام، أطنانا من الأغذية",  # من بـ: prepositions do not stack
    "وحذر البرنامج عبر صور وزعها من الوضع الإنساني",                # عبر: via, before a word
    "احتفل مشجعو برشلونة بالفوز في المباراة",                        # a club, by its fans
    "وودع اللاعب جمهور برشلونة الأحد في الملعب",                      # its crowd
    "وقال الرئيس إن تونس بلاد مدنية",                                # بلاد is a word, not ب + a name
    "وتنقل الرحالة بين الأندلس وبلاد المغرب",                         # and وبلاد
    "وتصاعد الدخان الرمادي من الجبل",                                # an adjective of the noun before
    "وركز الوزير في حديثه على الأمن",                                 # his speech, not Haditha (حديثة)
    "واستقبل الملك ضيفه في قصره",                                     # his palace
    "وقال إن البرلمان في صدد إقرار القانون",                          # في صدد: in the course of
    "وتعاون البلدان في الميادين كافة",                               # a quantified plural
    "ويشمل التعاون جميع الميادين",
    "وهي وزيرة سابقة ومشرعة عن الحزب",                              # و joins a word, not a place
    "وتسببت الأمطار في انهيارات أرضية وسيول وفيضانات",               # torrents among disasters
])
def test_common_words_are_not_places(lex, gaz, text):
    assert article_places(text, lex, gaz) == []


def test_a_short_sentence_of_a_longer_text_is_no_bare_name():
    text = "قصفت الطائرات مدينة حمص. شاهد.."
    assert [m.mention for m in geocode(text)] == ["حمص"]
    assert [m.mention for m in geocode("شاهد")] == ["شاهد"]  # the whole text: looked up as a name


def test_a_common_word_counts_after_a_feature_word(lex, gaz):
    # الربيع (spring) is a word in "في الربيع الماضي", a village in "قرية الربيع"
    assert not article_places("وصل الوفد في الربيع الماضي", lex, gaz)
    ps = named(article_places("قصفت الطائرات قرية الربيع بمحافظة صعدة", lex, gaz), "الربيع")
    assert ps and ps[0].gazetteer_id == "wof:1293558893" and ps[0].precision == 1


def test_never_the_adjective_of_the_noun_before_it(lex, gaz):
    # حربية is a village name; after a noun it is the noun's adjective
    assert not article_places("أغارت طائرات حربية على المنطقة", lex, gaz)


# --- context -------------------------------------------------------------------------------

def test_lebanese_border_villages_stay_in_lebanon(lex, gaz):
    ps = article_places("قصفت القوات الإسرائيلية بلدة حولا في جنوب لبنان", lex, gaz)
    houla = named(ps, "حولا")[0]
    assert houla.country == "Lebanon" and houla.precision == 1
    south = named(ps, "جنوب لبنان")[0]
    assert south.feature == "area" and south.precision == 4


def test_a_nisba_after_the_name_decides_the_country(lex, gaz):
    libya = article_places("اشتباكات عنيفة في طرابلس الليبية", lex, gaz)
    assert named(libya, "طرابلس")[0].country == "Libya"
    # a town the gazetteer lacks: never a namesake elsewhere (الأتارب in Syria)
    france = article_places("قتل شخصان في هجوم على بلدة تريب الفرنسية", lex, gaz)
    assert all(p.country in (None, "France") for p in france)
    # a name the gazetteer knows elsewhere, with another country's nisba: that country
    kabul = article_places("قتل شخصان في هجوم على مدينة حلب الأفغانية", lex, gaz)
    assert named(kabul, "حلب")[0].country == "Afghanistan"
    assert named(kabul, "حلب")[0].lat is None


def test_the_article_country_keeps_namesakes_at_home(lex, gaz):
    text = ("قال مسؤول يمني إن الحوثيين قصفوا مدينة زبيد. وأضاف أن اشتباكات عنيفة دارت "
            "في التحيتا بمحافظة الحديدة اليمنية")
    ps = article_places(text, lex, gaz)
    assert {p.country for p in ps if p.feature != "country"} == {"Yemen"}
    assert not article_places("قصف الحوثيون مفرق زبيد", lex, gaz) or all(
        p.country != "Jordan" for p in article_places("قصف الحوثيون مفرق زبيد", lex, gaz))


@pytest.mark.parametrize("area, gid", [("إدلب", "wof:1277164443"), ("حماة", "wof:1209090017")])
def test_the_governorate_named_with_it_picks_the_village(lex, gaz, area, gid):
    ps = article_places(f"قصفت الطائرات قرية الصفصافة في ريف {area} الجنوبي", lex, gaz)
    assert named(ps, "الصفصافة")[0].gazetteer_id == gid


@pytest.mark.parametrize("text, village, gid", [
    # the city that shares its governorate's name stands for the governorate ("بالحديدة"), and
    # the sources' spellings of one governorate ("Raqqa", "Ar-Raqqah") are one region
    ("قصف على قرية بني دوبع بالحديدة", "بني دوبع", "wof:"),
    ("قصف على قرية مشرفة الفوقانية في محافظة الرقة", "مشرفة الفوقانية", "wof:"),
])
def test_a_village_far_from_the_city_that_names_its_governorate(lex, gaz, text, village, gid):
    place = named(article_places(text, lex, gaz), village)[0]
    assert place.gazetteer_id.startswith(gid) and place.precision == 1


def test_each_region_is_written_one_way_in_the_built_in_places(gaz):
    from hadath.geo.builtin import region_key
    assert region_key("Ar-Raqqah") == region_key("Raqqa") == "raqqa"
    assert region_key("Al Ḩudaydah") == region_key("Al Hudaydah")
    rows = gaz.builtin._rows("WHERE p.country = ? AND p.admin1 != ''", ("SY",))
    by_key = {}
    for r in rows:
        by_key.setdefault(region_key(r.admin1), set()).add(r.admin1)
    assert by_key and all(len(v) == 1 for v in by_key.values())
    # a GeoNames city takes its region from the villages around it
    assert gaz.get("gn:79415").admin1 == gaz.get("wof:1293708849").admin1


def test_a_district_and_its_governorate(lex, gaz):
    ps = article_places("قتل مدنيان في قصف على مديرية التحيتا بمحافظة الحديدة", lex, gaz)
    district = named(ps, "مديرية التحيتا")[0]
    assert district.feature == "admin2" and district.precision == 3 and district.country == "Yemen"


@pytest.mark.parametrize("text, name, precision", [
    ("قصف على الغوطة الشرقية", "Eastern Ghouta", 3),
    ("اشتباكات في سهل نينوى", "Nineveh Plains", 3),
    ("غارات على ريف حلب الشمالي", "Aleppo", 3),
])
def test_a_region_is_an_area_not_one_of_its_towns(lex, gaz, text, name, precision):
    p = article_places(text, lex, gaz)[-1]
    assert p.name == name and p.precision == precision
    assert p.gazetteer_id != "os:sy-rif-dimashq-markaz-rif-dimashq-jaramana"


def test_a_place_of_a_town_the_gazetteer_does_not_know_is_placed_in_that_town(lex, gaz):
    # no namesake of "التل" lies in Tripoli: it is a quarter of that city, precision 2
    ps = article_places("اشتباكات في حي القبة بمدينة طرابلس شمالي لبنان", lex, gaz)
    assert all(p.country == "Lebanon" for p in ps if p.lat is not None)


# --- a bare name, and the search ---------------------------------------------------------------

def test_geocode_answers_a_bare_name():
    found = geocode("زبيد")
    assert found and found[0].precision == 1
    top = found[0].candidates[0]
    assert top.country == "YE" and found[0].name in ("Zabid", "Zabīd")


def test_geocode_command_on_a_bare_village_name():
    res = runner.invoke(app, ["geocode", "كفر سجنة", "--json"])
    assert res.exit_code == 0
    row = json.loads(res.stdout.splitlines()[0])
    assert row["name"] == "Kafr Sajnah" and row["candidates"][0]["admin1"] == "Idlib"


def test_lookup_a_name_in_either_script(gaz):
    for name in ("زبيد", "Zabid"):
        best = lookup(gaz, name)[0]
        assert best.place.country == "YE" and best.as_dict()["admin1"] == "Al Hudaydah"
    assert [h.place.country for h in lookup(gaz, "حولا", country="LB")] == ["LB"]


def test_fuzzy_search(gaz):
    hits = search(gaz, "Kafranbal", limit=5)
    assert hits[0].place.gid == "gn:168661"
    ar = search(gaz, "الغوطه", limit=10)
    assert "area:eastern-ghouta" in {h.place.gid for h in ar}
    assert all(h.place.country == "LB" for h in search(gaz, "Hawla", country="LB"))
    assert "Houla" in {h.place.name for h in search(gaz, "Hawla", country="LB")}


# --- the user's store ---------------------------------------------------------------------------

def test_a_store_of_version_1_drops_its_copy_of_the_built_in_places(tmp_path):
    path = tmp_path / "old.sqlite"
    GazetteerStore(path).close()
    db = sqlite3.connect(path)
    db.execute("INSERT INTO places (gid, name, feature, source) VALUES "
               "('gn:1', 'Old', 'town', 'GeoNames cities500'), "
               "('gn:2', 'Mine', 'town', 'GeoNames SY.txt')")
    db.execute("INSERT INTO meta VALUES ('builtin', '1:abc')")
    db.commit()
    db.close()
    store = GazetteerStore(path)
    assert store.count() == 1 and store.get("gn:2") is not None


def test_gazetteer_search_command_lists_places_with_region_and_country():
    r = runner.invoke(app, ["gazetteer", "search", "كفر نبل", "--country", "SY", "--json",
                            "--limit", "5"])
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.output.splitlines() if line.strip()]
    assert rows and all(d["country"] == "SY" for d in rows)
    assert rows[0]["name"] == "Kafranbel" and rows[0]["admin1"] == "Idlib"
    latin = runner.invoke(app, ["gazetteer", "search", "Houla", "--json"])
    found = [json.loads(line) for line in latin.output.splitlines() if line.strip()]
    assert {"LB", "SY"} <= {d["country"] for d in found}
    bad = runner.invoke(app, ["gazetteer", "search", "Houla", "--country", "SYR"])
    assert bad.exit_code != 0 and "two-letter" in bad.output


# --- causes found by the hand-judged sample (bench/place_judgement.py) ----------------------------

@pytest.mark.parametrize("text", [
    "وبعد أن ذكرت صحيفة نيويورك تايمز أن الرئيس ضغط على وزيره",
    "قال إن الحزب ملتزم باتفاق الطائف",
    "وكان من أبرز الموقعين على إعلان دمشق عام 2005",
    "اضطرابات بدأت من مسقط رأسه قبل ثلاثة أعوام",
    "وقال الناشط حلب إن الوضع سيئ",                          # a title: a person's name follows
    "تعاقد ريال مدريد مع لاعب جديد",                          # a club
    "وفاز أتلتيكو مدريد بالمباراة",
    "وتقدم باريس سان جرمان في الشوط الثاني",                 # a club whose name goes on
    "تعادل بايرن ميونيخ مع ضيفه",
    "وتشكلت كتائب كربلاء بعد الغزو",                          # an armed group named after a town
    "عبرت السفينة مضيق جبل طارق",                             # a strait, not the town
    "وفاز دينامو كييف على ضيفه",
    "ونشرت صحيفة القدس مقالا",                                   # a newspaper
    "هجمات على قرى على الضفة الغربية لنهر الفرات",              # a river's bank, not Palestine's
    "تقدمت القوات على الضفة الشرقية للنهر",
    "هجمات على قرى في الضفة الغربية، لنهر الفرات",
])
def test_a_place_name_inside_another_name_is_not_a_place(lex, gaz, text):
    assert article_places(text, lex, gaz) == []


def test_a_building_named_after_its_town_stays_in_the_town(lex, gaz):
    places = article_places("قصفت الطائرات مستشفى حلب الجامعي", lex, gaz)
    assert [p.name for p in places] == ["Aleppo"]


def test_gaza_alone_is_the_strip_and_the_city_needs_its_feature_word(lex, gaz):
    strip = article_places("قتل ثلاثة فلسطينيين في غزة برصاص الجيش", lex, gaz)
    assert [(p.name, p.precision) for p in strip] == [("Gaza Strip", 4)]
    city = article_places("غارة على حي في مدينة غزة", lex, gaz)
    assert [p.name for p in city] == ["Gaza"] and city[0].precision == 1


def test_names_coordinated_after_a_plural_admin_word_are_all_governorates(lex, gaz):
    places = article_places("مساعدات لسكان محافظات الحديدة وصنعاء وصعدة وحجة", lex, gaz)
    assert len(places) == 4 and all(p.precision == 4 for p in places)
    # a name that is also a word (الجوف: "the hollow") counts after a dual admin word too
    places = article_places("هجمات في محافظتي الجوف ومأرب", lex, gaz)
    assert [(p.name, p.precision) for p in places] == [("Al Jawf", 4), ("Ma'rib", 4)]


def test_a_wof_record_adds_only_names_that_fit_the_place(gaz):
    tyre = gaz.get("gn:267008")
    assert "صور" in tyre.names_ar and "الإطار" not in tyre.names_ar
    khalis = gaz.get("gn:99168")
    assert "الخالص" in khalis.names_ar and "خليج" not in khalis.names_ar


def test_a_district_named_as_such_is_placed_at_a_districts_precision(lex, gaz):
    places = article_places("حظر التجول في قضاء الدجيل بمحافظة صلاح الدين", lex, gaz)
    dujail = named(places, "الدجيل")
    assert [(p.name, p.precision) for p in dujail] == [("Ad Dujayl", 3)]
    assert all(p.precision == 3 for p in article_places("شهدت مديرية الظاهر معارك عنيفة", lex, gaz))


def test_a_hamlet_after_a_bare_preposition_needs_a_place_of_the_article_near_it(lex, gaz):
    # فخرة is a village only Who's On First names; "عن فخره" is "of his pride"
    assert article_places("أعرب الوزير عن فخره بما شهده الشارع", lex, gaz) == []
    assert [p.name for p in article_places("قصفت المدفعية قرية فخرة", lex, gaz)] == ["Fakhrah"]


def test_a_place_name_after_a_given_name_is_a_family_name(lex, gaz):
    assert article_places("وأوضح علي الصلخدي، مسؤول المجلس المحلي", lex, gaz) == []
    # على (a preposition) is not علي (a name), though both normalise alike
    assert [p.name for p in article_places("سقطت قذائف على حلب", lex, gaz)] == ["Aleppo"]


def test_a_capital_named_like_its_state_is_the_city_unless_the_state_is_named():
    # GeoNames wrote Khartoum "ااالخرطوم": the build reads a run of alefs as one
    city, = geocode("درس في جامعة السودان في الخرطوم")
    assert city.gazetteer_id == "gn:379252" and city.precision == 1
    state, = geocode("اشتباكات في ولاية الخرطوم")
    assert state.feature == "admin1" and state.precision == 4


def test_a_capital_is_found_by_the_name_the_news_writes():
    # countries.tsv gives each capital its news spelling (GeoNames writes كابل)
    m, = geocode("قتل 10 أشخاص في تفجير في كابول")
    assert m.precision == 1 and m.gazetteer_id == "gn:1138958"


def test_a_government_named_by_another_town_gives_the_capital_no_name():
    # countries.tsv names Israel's government by تل أبيب and Palestine's by رام الله: those stay
    # the towns they are, never names of the capitals
    tel_aviv, = geocode("قتل 3 أشخاص في هجوم قرب تل أبيب")
    assert tel_aviv.name != "Jerusalem" and tel_aviv.lon < 35.0
    ramallah, = geocode("اعتقل الجيش الإسرائيلي 5 فلسطينيين في رام الله")
    assert "Jerusalem" not in ramallah.name


def test_a_town_written_with_its_ta_marbuta_is_found():
    """The pronoun reading ("حديثه") leaves the town written with ة, or with ه where the
    gazetteer knows that spelling ("حماه")."""
    assert [m.name for m in geocode("قصفت الطائرات مدينة حديثة غرب العراق") if m.lat][0] == "Hadithah"
    assert [m.name for m in geocode("اشتباكات في ريف حماه")] == ["Hamah"]


def test_a_city_alone_in_a_sports_report_is_its_club():
    """In a report of football (sport_words.tsv) "تأهل برشلونة" is the club; "في برشلونة" is
    still the city, and a city alone outside sports reports is still a place."""
    sport = "تأهل برشلونة إلى نصف النهائي بعد فوزه في المباراة على ضيفه في الدوري لكرة القدم."
    assert not [m for m in geocode(sport) if m.mention == "برشلونة"]
    venue = geocode("أقيمت المباراة في برشلونة أمس ضمن الدوري الإسباني لكرة القدم.")
    assert [m.name for m in venue] == ["Barcelona"]
    assert [m.name for m in geocode("وصل الوزير إلى برشلونة أمس ثم زار مدريد.")][:1] == ["Barcelona"]


def test_a_small_town_after_a_bare_preposition_in_an_article_elsewhere_is_a_word():
    """المزار (a shrine) is also a town of Jordan: in an article about France "في المزار" is
    the word; in an article about Jordan it is the town."""
    paris = "قالت بلدية باريس إن الزحام في المزار يتزايد كل صيف مع توافد السياح إلى فرنسا."
    assert [m.mention for m in geocode(paris) if m.lat] == ["باريس"]
    jordan = "أعلنت الشرطة الأردنية توقيف ثلاثة أشخاص في المزار جنوب الأردن."
    assert [m.gazetteer_id for m in geocode(jordan) if m.mention == "المزار"] == ["gn:250540"]


def test_a_town_the_gazetteer_does_not_know_is_what_a_later_city_word_refers_to():
    """"مدينة X شمال Y ... المدينة": the unknown town X (no point), never Y, which only
    locates it; a known town named last is still the one referred to."""
    text = ("انفجر مستودع للألعاب النارية في مدينة تولتيزا شمال مكسيكو. "
            "وانتشرت فرق الإطفاء في أنحاء المدينة بعد الانفجار.")
    city = [m for m in geocode(text) if m.mention == "المدينة"]
    assert [m.lat for m in city] == [None]
    text = ("قتل مدنيان في مدينة تولتيزا بحسب الشرطة. ثم وقعت اشتباكات في مدينة حمص. "
            "وانتشرت فرق الإطفاء في أنحاء المدينة بعد الانفجار.")
    assert [m.name for m in geocode(text) if m.mention == "المدينة"] == ["Homs"]


def test_a_village_far_from_every_place_the_article_named_is_a_namesake():
    """In a report from Deir ez-Zor, "قرية شقرا" is not Shaqra of Latakia, 300 km away (the
    gazetteer lacks the village meant); in a report from Latakia it is."""
    east = ("سيطرت القوات على مدينة الميادين وبلدة البصيرة في ريف دير الزور الشرقي. "
            "ثم تقدمت القوات نحو قرية شقرا.")
    assert [m.lat for m in geocode(east) if m.mention == "شقرا"] == [None]
    west = "سيطرت القوات على مدينة جبلة وبلدة القرداحة. ثم تقدمت القوات نحو قرية شقرا."
    assert [m.name for m in geocode(west) if m.mention == "شقرا"] == ["Shaqra"]


def test_a_town_whose_name_is_mostly_a_word_needs_its_country_in_the_article():
    """GeoNames also names Tyre الصور, which the corpus writes mostly as "the pictures"
    (place_commonwords.tsv): in a report from the Netherlands "في الصور" is the word; in a
    report from south Lebanon it stays the town. Dubai, a city of millions, needs no such
    help."""
    dutch = "أعلنت الشرطة في هولندا اعتقال رجل. وقالت إن شهودا تعرفوا عليه في الصور التي نشرتها."
    assert [m.lat for m in geocode(dutch) if m.mention == "الصور"] == [None]
    south = "قصفت الطائرات الإسرائيلية بلدات جنوب لبنان. وأفاد شهود في الصور بسماع انفجارات."
    assert [m.name for m in geocode(south) if m.mention == "الصور"] == ["Tyre"]
    dubai = "أعلنت الشرطة في هولندا اعتقال رجل. وقالت إنه وصل من دبي قبل أيام."
    assert [m.name for m in geocode(dubai) if m.mention == "دبي"] == ["Dubai"]


def test_a_name_right_after_a_noun_of_arrest_is_the_person_seized():
    """"اعتقال جوس" is the arrest of a man named Jos, not Jos in Nigeria; "اعتقالات في حمص"
    still places the arrests."""
    assert [m.mention for m in geocode("أعلنت الشرطة في هولندا اعتقال جوس بعد نداء عام.")
            if m.lat] == []
    assert [m.name for m in geocode("شنت القوات حملة اعتقالات في حمص.")] == ["Homs"]


def test_a_districts_name_that_is_a_common_word_needs_a_cue():
    """صالة is a hall (a word the corpus writes often) and a district of Taiz: with no
    preposition, feature word or locator it is the hall; "في صالة", "مديرية صالة" are the
    district."""
    assert [m.mention for m in geocode("استهدف هجوم صالة عزاء في اليمن.") if m.lat] == []
    assert [m.name for m in geocode("اشتباكات عنيفة في صالة شرق تعز.")][:1] == ["Salh"]
    assert [m.name for m in geocode("قصفت الطائرات مديرية صالة.")] == ["Salh"]


def test_a_university_named_after_its_town_is_a_place_in_that_town():
    """"جامعة صنعاء" is the university, a place in Sanaa (precision 2) named by its whole
    name, not the city itself at precision 1."""
    m, = geocode("اقتحم المسلحون جامعة صنعاء صباح اليوم")
    assert (m.mention, m.gazetteer_id, m.precision, m.feature) == (
        "جامعة صنعاء", "gn:71137", 2, "landmark")


def test_a_bracket_between_the_admin_word_and_the_name_does_not_part_them():
    """"في (محافظة) صعدة", "محافظة "صعدة"": the governorate, as "محافظة صعدة" is."""
    for text in ('دمرت الطائرات مواقع في (محافظة) صعدة شمال اليمن.',
                 'دمرت الطائرات مواقع في محافظة "صعدة" شمال اليمن.'):
        m = [m for m in geocode(text) if m.mention == "صعدة"]
        assert [(x.feature, x.precision) for x in m] == [("admin1", 4)]


def test_a_list_of_governorates_names_after_a_preposition_names_the_governorates():
    """"في صعدة وحجة": two governorates (each also its capital's name); "أعرب بغداد وأربيل"
    (governments, no preposition) stays the two capitals."""
    listed = geocode("قتل 20 مسلحا في صعدة وحجة خلال يومين.")
    assert [(m.feature, m.precision) for m in listed] == [("admin1", 4), ("admin1", 4)]
    capitals = geocode("أعرب بغداد وأربيل عن رفضهما للقصف.")
    assert [m.feature for m in capitals] == ["city", "city"]


def test_a_country_named_as_a_place_just_after_a_name_holds_its_namesakes():
    """"في منطقة صيدا ... بسوريا" is a Syrian Sayda, not Sidon in Lebanon; with no country
    named, صيدا is Sidon."""
    syria = geocode("قصفت الطائرات تجمعات في منطقة صيدا على أطراف وادي اليرموك بسوريا.")
    assert [m.candidates[0].country for m in syria if m.mention == "صيدا"] == ["SY"]
    assert [m.name for m in geocode("قصفت الطائرات الإسرائيلية أطراف صيدا.")] == ["Sidon"]


def test_a_small_town_abroad_after_a_locator_needs_its_country_in_the_article():
    """"شرق جاوا" in a report from Indonesia is East Java, not the Jordanian town of Jawa; with
    a feature word in a report from Jordan it is the town."""
    java = ("انفجرت قنبلة في مدينة سورابايا في إندونيسيا. "
            "وقال الناطق باسم شرطة شرق جاوا إن الانفجار وقع صباحا.")
    assert [m.lat for m in geocode(java) if m.mention == "جاوا"] == [None]
    jordan = "أعلن الجيش الأردني مقتل مهرب قرب بلدة جاوا."
    assert [m.name for m in geocode(jordan) if m.mention == "جاوا"] == ["Jawa"]


def test_a_name_after_a_particle_that_only_a_verb_follows_is_a_verb():
    """"لم تدمر مواقع" is "did not destroy", not Palmyra; "على تدمر" is the town."""
    assert geocode("قال إن الغارات لم تدمر مواقع الحرس الثوري.") == []
    assert [m.name for m in geocode("سيطر التنظيم على تدمر.")] == ["Tadmur"]


def test_the_names_of_one_list_lie_near_each_other():
    """"صيدا والجيزة والمسيفرة" in a report from Daraa: three villages of Daraa, neither Sidon
    nor Giza."""
    listed = geocode("تقدمت قوات النظام في ريف درعا. وقال المرصد إن الطائرات قصفت صيدا والجيزة "
                     "والمسيفرة.")
    points = [(m.lat, m.lon) for m in listed if m.mention != "درعا"]
    assert len(points) == 3
    assert all(distance_km(a[0], a[1], b[0], b[1]) < 40 for a in points for b in points)


def test_the_saudi_border_regions_are_regions_not_their_capitals():
    """"منطقة جازان" (the province the Houthis' missiles are reported to target) is the region
    at a province's precision; "جازان" alone is still the city."""
    m, = geocode("اعترضت الدفاعات صاروخا أطلق باتجاه منطقة جازان.")
    assert (m.feature, m.precision, m.gazetteer_id) == ("area", 4, "area:jazan-region")
    assert [m.feature for m in geocode("وصل الوفد إلى جازان.")] == ["city"]


def test_a_small_district_abroad_is_doubted_as_a_small_town_is():
    """"بثبات وببصيرة" (with insight) in a Moroccan speech is not the sub-district of Basira in
    Deir ez-Zor; in a report from Deir ez-Zor "في البصيرة" is."""
    morocco = "دعا الملك المغربي الأحزاب إلى العمل في المغرب. وقال: سنسير بثبات وببصيرة."
    assert [m.lat for m in geocode(morocco) if m.mention == "وببصيرة"] == [None]
    syria = "تقدمت القوات في ريف دير الزور. وقصفت الطائرات مواقع في البصيرة."
    assert [m.name for m in geocode(syria) if m.mention == "البصيرة"] == ["Basira"]


def test_a_place_at_a_distance_from_an_unknown_town_only_locates_it():
    """"مدينة مونستر، 300 ميل غربي برلين ... في المدينة": the city word refers to the unknown
    town, not to Berlin."""
    text = "وشهدت مدينة مونستر، 300 ميل غربي برلين، أحداثا دامية. ودهس رجل حشدا في المدينة."
    assert [m.lat for m in geocode(text) if m.mention == "المدينة"] == [None]


# --- causes found on the two dev samples (places4) -----------------------------------------------

@pytest.mark.parametrize("text", [
    'ونشرت صحيفة " القادسية " عنوانا بارزا عن المحادثات',          # a quotation mark between
    'وبين الشركات المعنية بالاتفاقات مجموعات "سويز" و"فيوليا"',      # a company
    "وقالت إذاعة دمشق إن الجيش تقدم",                                # a radio station
    "وتلقى سعادة السيد عبدالله بن خليفة العطية اتصالا هاتفيا",        # after an honorific
    "وقالت رئيسة لجنة دلهي للمرأة إنها ستبدأ إضرابا عن الطعام",       # an institution: X + لـ
    "وقال الباحث في معهد واشنطن لسياسة الشرق الأدنى إن الوضع خطير",
    "وقال مدير مركز حلب الإعلامي إن القصف استمر",                     # a masculine adjective
    "وأعلن مجلس إدلب المحلي تعليق الدوام",
])
def test_a_name_held_by_an_organisations_or_a_persons_name_is_not_a_place(lex, gaz, text):
    assert article_places(text, lex, gaz) == []


def test_a_feminine_adjective_after_an_institutions_word_and_a_town_is_the_towns(lex, gaz):
    places = article_places("وصل الوفد إلى مركز حلب القديمة", lex, gaz)
    assert [p.name for p in places] == ["Aleppo"]


def test_an_institution_without_a_noun_with_lam_after_it_stays_in_its_town(lex, gaz):
    places = article_places("وقال مجلس محافظة البصرة إن الحريق وقع ليلا", lex, gaz)
    assert [p.name for p in places] == ["Basrah"]


@pytest.mark.parametrize("text", [
    "ويقول أستاذ العلوم السياسية بجامعة القاهرة مصطفى كامل السيد إن التوقيفات مستمرة",
    "وهو حاصل على درجة الدكتوراه في الهندسة المعمارية من جامعة القاهرة، إلى جانب دبلوم",
])
def test_a_university_that_is_someones_employer_or_school_is_not_a_place(text):
    assert geocode(text) == []


def test_a_university_named_as_a_target_stays_a_place_in_its_town():
    """A teacher's word far before it, in another clause, does not make it an employer."""
    m, = geocode("وقال رئيس الوزراء إن القصف طال جامعة حلب")
    assert (m.mention, m.name, m.precision) == ("جامعة حلب", "Aleppo", 2)


def test_the_title_of_a_governor_names_the_territory_not_the_town(lex, gaz):
    basra = article_places("وقال محافظ البصرة إن الانفجار وقع ليلا", lex, gaz)
    assert [(p.feature, p.precision) for p in basra] == [("admin1", 4)]
    hudaydah = article_places("وقال محافظ الحديدة إن القصف طال الميناء", lex, gaz)
    assert [(p.feature, p.precision) for p in hudaydah] == [("admin1", 4)]
    # "وإلى" (and to) is spelt as "والي" (governor) once normalised: no title
    toronto = article_places("أوقفت الشركة رحلاتها من وإلى تورنتو بكندا", lex, gaz)
    assert [p.name for p in toronto][:1] == ["Toronto"]
    sinai = article_places("وقال محافظ شمال سيناء إن الهجوم فشل", lex, gaz)  # a region
    assert [(p.gazetteer_id, p.precision) for p in sinai] == [("area:north-sinai", 4)]
    # a province or an emirate the built-in places do not hold: no point, never its city
    assert article_places("واستقبل ولي عهد أبوظبي وزير الخارجية", lex, gaz) == []
    assert article_places("وقال أمير مكة إن الموسم نجح", lex, gaz) == []
    # the town itself, named otherwise, is still the town
    assert [p.feature for p in article_places("وصل الوفد إلى أبوظبي", lex, gaz)] == ["city"]
    # a war named after a territory is fought over the territory (حرب صعدة: the governorate)
    saada = article_places("برز اسمه في حرب صعدة الثالثة بين الجيش والحوثيين", lex, gaz)
    assert [(p.feature, p.precision) for p in saada] == [("admin1", 4)]
    assert [p.precision for p in article_places("قصفت الطائرات مدينة صعدة", lex, gaz)] == [1]
    # a war of a town: its district where the built-in places hold one ("حرب الموصل"), never
    # no point as a ruler's unknown province would be
    assert [p.name for p in article_places("قاتل في حرب الموصل ضد التنظيم", lex, gaz)] == ["Mosul"]


def test_a_countrys_short_name_is_the_country_where_the_article_names_it():
    """"عمان" is Amman, and Oman's short name (سلطنة عمان): an article that writes سلطنة عمان
    and names no Jordan means the country."""
    oman = geocode("نفى مسؤولون أنباء عن محادثات بين السعودية والحوثيين في عمان. وقال "
                   "دبلوماسيان إن المتحدث باسم الحوثيين تواصل مع مسؤولين سعوديين في سلطنة عمان.")
    first = oman[[m.mention for m in oman].index("عمان")]
    assert (first.name, first.precision, first.lat) == ("Oman", 6, None)
    amman = geocode("وصل الوزير إلى عمان بعد زيارة لسلطنة عمان، ثم غادر الأردن.")
    assert amman[0].name == "Amman" and amman[0].precision == 1
    assert geocode("وقع انفجار في عمان.")[0].name == "Amman"


def test_a_masculine_nisba_after_a_towns_name_makes_it_a_club(lex, gaz):
    """A town's name is feminine: "ميلان الإيطالي" (masculine) is the club, "ميلانو الإيطالية"
    the town; a feature word before the name (معبر) takes the adjective itself."""
    assert article_places("وذكرت صحيفة برازيلية أن ميلان الإيطالي دخل على الخط لضم اللاعب",
                          lex, gaz) == []
    assert article_places("وقدم اللاعب إلى الفريق قادما من برشلونة الإسباني", lex, gaz) == []
    town = article_places("وقع الحادث في ميلانو الإيطالية", lex, gaz)
    assert [p.name for p in town] == ["Milan"]
    # the nisba agrees with the noun before the name: the ports, not a club
    port = article_places("وتبلغ المسافة بين مينائي يوكوهاما الياباني وروتردام", lex, gaz)
    assert [p.name for p in port] == ["Yokohama"]


SPORT = "فاز الفريق في المباراة ضمن الدوري لكرة القدم وتأهل المنتخب إلى ربع النهائي. "


@pytest.mark.parametrize("text", [
    "وانتزع ميسي الكرة من زميله السابق في برشلونة سيسك فابريغاس.",   # a player's team
    "ووصل اللاعب قادما من روما في صفقة كبيرة.",                      # a player's move
    "وفاز الفريق على برشلونة بهدفين.",                               # an opponent
    "وابتعد الفريق بفارق 15 نقطة عن برشلونة المتصدر.",
])
def test_a_city_after_a_preposition_in_a_sports_report_may_be_its_club(text):
    assert [m.mention for m in geocode(SPORT + text) if m.lat is not None] == []
    # the venue stays a place, and so does a city's centre
    venue = geocode(SPORT + "وأقيمت المباراة في برشلونة أمس.")
    assert [m.name for m in venue if m.lat is not None] == ["Barcelona"]
    centre = geocode(SPORT + "وشهد وسط باريس أعمال شغب بعد المباراة.")
    assert [m.name for m in centre if m.lat is not None] == ["Paris"]


@pytest.mark.parametrize("text", [
    "صافح الرئيس ضيفه في مشهد تاريخي غير مسبوق",             # a scene: "المشهد" is written more
    "لم أشعر بالارتياح لمشهد العائلات التي فصلت",
    "وأعادت الحكومة العمل بعقوبة الإعدام",                   # ب + عقوبة, not Baqubah
])
def test_a_big_citys_name_that_the_corpus_writes_mostly_as_a_noun(lex, gaz, text):
    assert article_places(text, lex, gaz) == []


def test_such_a_city_is_still_found_with_a_feature_word_or_a_preposition(lex, gaz):
    assert gaz.rules[normalize_key("مشهد")] == "feature"  # derived from the corpus counts
    assert gaz.rules[normalize_key("بعقوبة")] == "cue"
    mashhad = article_places("انطلقت الاحتجاجات من مدينة مشهد الإيرانية", lex, gaz)
    assert [p.name for p in mashhad] == ["Mashhad"]
    baqubah = article_places("قتل ثلاثة في انفجار في بعقوبة", lex, gaz)
    assert [p.name for p in baqubah] == ["Baqubah"]


def test_a_city_of_the_containers_country_outside_it_is_no_unknown_place_of_it(lex, gaz):
    """"قافلة المهجرين من درعا والقنيطرة بالقرب من حمص": near Homs is the convoy; Daraa and
    Quneitra are places in their own right, not unknown places of Homs."""
    ps = article_places("وطوقت الميليشيات قافلة المهجرين من درعا والقنيطرة بالقرب من حمص",
                        lex, gaz)
    assert [(p.name, p.feature) for p in ps] == [
        ("Dar'a", "city"), ("Al Qunaytirah", "city"), ("Homs", "city")]
    # a namesake in another country still makes an unknown place of the town named with it
    tall = named(article_places("اشتباكات في منطقة التل بمدينة طرابلس الليبية", lex, gaz), "التل")
    assert tall and tall[0].name == "Tripoli" and tall[0].feature == "landmark"


def test_a_name_shared_by_a_governorate_and_its_district(lex, gaz):
    """Named alone, the governorate; after a district's word (قضاء، مديرية), the district."""
    rif = named(article_places("فر الآلاف من الغوطة الشرقية، الجيب الخاضع للمعارضة في ريف "
                               "دمشق", lex, gaz), "ريف دمشق")
    assert [(p.feature, p.precision) for p in rif] == [("admin1", 4)]
    kirkuk = article_places("قتل ثلاثة في قضاء كركوك", lex, gaz)
    assert [(p.feature, p.precision) for p in kirkuk] == [("admin2", 3)]


def test_a_villages_name_the_corpus_never_writes_after_a_feature_word_is_an_idiom(lex, gaz):
    """"في حينه" (at the time), "في بيانه" (in his statement): the corpus writes these names
    often and never after قرية، بلدة or a locator, so they count only after one."""
    assert gaz.rules[normalize_key("حينه")] == "feature"
    assert article_places("وشريط فيديو لقائد العملية في حينه الجنرال إيزنكوت", lex, gaz) == []
    assert article_places("وقال في بيانه إن القوات تقدمت", lex, gaz) == []
    assert named(article_places("قصفت الطائرات قرية حينه في ريف دمشق", lex, gaz), "حينه")


def test_an_article_about_a_country_the_lexicon_does_not_know_keeps_namesakes_out():
    """place_countries.tsv (CLDR's Arabic names) tells that a report is about Mexico: its
    "قرية شيران" is not the Syrian village of that name."""
    mexico = ("في وقت تستعد فيه المكسيك لتنظيم الانتخابات العامة، يرفض السكان الأصليون إجراء "
              "الانتخابات في مناطقهم. واستلهموا حراكهم من قرية شيران التي تسكنها عرقية "
              "بوريبيتشا في ولاية ميتشواكان.")
    assert [m.mention for m in geocode(mexico) if m.lat is not None] == []
    syria = "قصفت الطائرات قرية شيران في ريف حلب الشمالي."
    assert [m.name for m in geocode(syria) if m.mention == "شيران"] == ["Shiran"]


def test_a_word_with_no_reading_after_the_first_word_of_a_countrys_name():
    """"جمهورية ـ": a word the analyser gives no reading (a tatweel) does not stop the reading
    of the article's countries."""
    assert [m.name for m in geocode("قال مسؤولون في جمهورية ـ إن القصف طال قرية الطيبة")]


def test_a_list_after_a_colon_that_a_plural_admin_word_introduces_names_that_level(lex, gaz):
    text = ("وأوضحت أن المديريات التي قطع الحوثيون الإنترنت عنها هي: الميناء ، الحالي وحيس "
            "والخوخة والمراوعة وباجل.")
    ps = article_places(text, lex, gaz)
    assert [p.precision for p in ps] == [3, 3, 3, 3]
    assert named(ps, "والمراوعة")[0].feature == "admin2"
    # with no plural admin word before the colon, the town
    town = article_places("وقال المصدر: قتل ثلاثة في المراوعة.", lex, gaz)
    assert [p.feature for p in town] == ["town"]


def test_a_city_word_before_a_neighbourhoods_name_abroad_is_an_unknown_city():
    """"مدينة جرادة" in a report from Morocco (named by its nisba only) is not the neighbourhood
    جرادة of Sa'dah: a neighbourhood is never a city. A village stays a village."""
    text = ("وقعت صدامات بين قوات الأمن المغربية ومتظاهرين في مدينة جرادة الأربعاء، ما أسفر "
            "عن سقوط جرحى في صفوف الشرطة.")
    assert [m.mention for m in geocode(text) if m.lat is not None] == []
    town = geocode("قصفت الطائرات الروسية بلدة التمانعة.")
    assert [m.name for m in town if m.lat is not None] == ["At Tamani`ah"]


def test_sinai_and_the_golan_are_regions_not_villages_of_their_names(lex, gaz):
    """"شمال سيناء" was a village named سيناء south of its direction word; the Golan had no
    point but a village's: both are regions now (places_areas.tsv), at a region's precision."""
    north = article_places("تم استهداف بؤرة إرهابية في شمال سيناء", lex, gaz)
    assert [(p.gazetteer_id, p.precision) for p in north] == [("area:north-sinai", 4)]
    sinai = article_places("قتل جندي في هجوم في سيناء", lex, gaz)
    assert [(p.gazetteer_id, p.precision) for p in sinai] == [("area:sinai", 5)]
    golan = article_places("قصفت إسرائيل مواقع في الجولان السوري المحتل", lex, gaz)
    assert [p.gazetteer_id for p in golan] == ["area:golan"]
    # a village word before a region's name names a village
    village = article_places("قصفت الطائرات قرية سيناء", lex, gaz)
    assert [p.feature for p in village] == ["village"]


def test_the_rest_of_a_villages_name_that_is_a_common_word_is_never_a_place(lex, gaz):
    """"قرية العاصمة" lets "العاصمة" name that village after a feature word or a locator; the
    corpus writes العاصمة (the capital) thousands of times: "جنوب العاصمة لندن" is London."""
    assert gaz.rules[normalize_key("العاصمة")] == "never"
    ps = article_places("قتل 3 أشخاص بحادث دهس قطار في محطة جنوب العاصمة لندن", lex, gaz)
    assert [p.name for p in ps] == ["London"]


def test_a_locator_after_a_noun_with_a_pronoun_does_not_hold_the_name_before(lex, gaz):
    """"ثبتت أنقرة وجودها في سوريا": في belongs to وجودها, so Syria holds no namesake of
    Ankara (a Syrian village أنقرة was chosen, or Syria itself)."""
    ps = article_places("ثبتت أنقرة وجودها في سوريا، في خطوة يعتبرها مراقبون تصعيدا", lex, gaz)
    assert ps[0].name == "Ankara"


@pytest.mark.parametrize("text, name", [
    ("وهو ثاني مطارات أوروبا بعد هيثرو في لندن وشارل ديغول في باريس", "London"),
    ("وأعربت سفارة القاهرة في لندن عن قلق عميق", "Cairo"),
    ("وكان تم إحضار عبد السلام إلى بروكسل من سجن قرب باريس تحت حراسة", "Brussels"),
])
def test_a_big_city_is_no_unknown_place_of_the_town_after_it(lex, gaz, text, name):
    """A city of 100,000 people named alone is itself, not an unknown place of the town a
    locator names after it."""
    assert article_places(text, lex, gaz)[0].name == name


def test_a_city_abroad_after_a_feature_word_stays_a_place_of_its_container(lex, gaz):
    ps = article_places("وقال: لا سجون سرية بمطار الريان في حضرموت", lex, gaz)
    assert ps[0].country == "Yemen"


def test_a_big_city_placed_by_a_direction_stays_a_place_of_the_town_named(lex, gaz):
    """"النخيلة والطائف جنوبي الحديدة": south of Hudaydah says where الطائف is: not Ta'if of
    Saudi Arabia."""
    ps = article_places("وسيطرت القوات على مناطق النخيلة والطائف جنوبي الحديدة", lex, gaz)
    assert named(ps, "والطائف")[0].country == "Yemen"


def test_an_anaphoric_city_word_does_not_make_a_region_a_village(lex, gaz):
    ps = article_places("وقالت منظمات إن هجوما كيماويا وقع في المدينة بالغوطة الشرقية", lex, gaz)
    assert [p.gazetteer_id for p in named(ps, "الغوطة الشرقية")] == ["area:eastern-ghouta"]


def test_admin_units_in_a_named_place_put_it_at_the_level_above(lex, gaz):
    """"عدة مديريات بصعدة": districts in Sa'dah, the governorate (not one district)."""
    ps = article_places("واستحدثت القوات جبهات جديدة في عدة مديريات بصعدة", lex, gaz)
    assert [(p.feature, p.precision) for p in ps] == [("admin1", 4)]


# --- causes found on the dev3 sample (judged by two new judges) ----------------------------------

@pytest.mark.parametrize("text", [
    "وانضمت فلسطين إلى ميثاق روما المؤسس للمحكمة الجنائية الدولية",      # a treaty
    "ودعا بابا روما إلى وقف القتال",                                     # a title
    "وقال رئيس مؤتمر ميونيخ للأمن إن التوتر يتصاعد",                    # an institution + لـ
    "ودخل الزوار من باب نابلس",                                           # a gate named after
    "لا يمكنهم دوماً معرفة الطريق",                                       # tanween: an adverb
    "وأعلنت السلطات ذلك آنفاً",
])
def test_a_name_inside_a_name_or_a_word_with_tanween_is_not_a_place(lex, gaz, text):
    assert article_places(text, lex, gaz) == []


def test_a_newspaper_named_as_a_city_word_and_a_verb_after_a_feature_word_name_no_place():
    assert [m.mention for m in geocode('ونشرت صحيفة "المدينة" في الرياض مقابلة معه')
            if m.lat is not None] == ["الرياض"]  # not المدينة referring back to Riyadh
    assert [m.mention for m in geocode("واحتشد المتظاهرون في ساحة تقع وسط موسكو")
            if m.lat is not None] == ["موسكو"]  # "تقع" (lies) is no name of the square
