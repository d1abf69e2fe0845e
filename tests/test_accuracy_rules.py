"""The accuracy rules of docs/coding.md, each a general fact of Arabic or of event coding.

Sentences are written for these tests (none is copied from a corpus); each assertion fails if
its rule is removed.
"""

from __future__ import annotations

import datetime as dt

import pytest

from hadath import extract

PUB = dt.date(2018, 6, 10)


def run(text: str):
    return extract(text, date=PUB)


def kinds(art) -> list[str]:
    return [e.kind for e in art.events]


# --- time: background is not news ----------------------------------------------------------

@pytest.mark.parametrize("text", [
    "قتل 33 شخصا في تفجيرات في مدينة الدار البيضاء في 2003.",           # an earlier year
    "وكانت القوات الحكومية قد شنت هجوما على مدينة درعا.",                 # pluperfect كان ... قد
    "وفي أيار الماضي، قالت إسرائيل إنها هاجمت مواقع في سوريا.",          # an earlier month
    "قتل آلاف المدنيين في قصف على مدينة حلب منذ سنوات.",                  # منذ + a long period
    "يذكر أن الجيش قد قصف مدينة إدلب.",                                   # an aside, perfect
    "وشهدت مدينة بيروت اشتباكات عنيفة في التسعينيات.",                    # a decade
    "وقتل عشرات المقاتلين في معركة وقعت مؤخرا قرب مدينة دير الزور.",       # dated only "recently"
    "وأعلن الجيش مؤخرا مقتل عشرة مسلحين في اشتباك قرب مدينة الرقة.",       # ... before it too
    "قتل خمسة جنود في غارة على مدينة سرت في السابع من أيار.",             # an ordinal day, a month ago
    "وانطلقت في 8 من شهر مايو الحالي في البصرة احتجاجات ضد الفساد.",       # "من شهر" before the month
    "وكانت الحكومة قالت إن خمسة جنود قتلوا في اشتباك في محافظة دير الزور.",  # كان + a verb of saying
    "ولم يوضح البيان التفاصيل، وكان مسلحون قتلوا جنديين في هجوم على حاجز في مدينة العريش.",
    "وقالت الحكومة سابقا إن جنديين قتلا في هجوم على مدينة العريش.",         # سابقا, "before"
    "وأعلنت الوزارة عن غارة مماثلة في جنوب مدينة سرت استهدفت موقعا.",      # "another such act"
])
def test_history_is_background_not_news(text):
    art = run(text)
    assert art.events == [] and art.background, (text, art.events)


def test_weeks_or_months_ago_are_background():
    for text in ("وكانت هذه القوات بدأت قبل نحو ثلاثة أسابيع هجوما باتجاه مدينة الحديدة.",
                 "وسيطر المسلحون على مدينة درنة قبل أكثر من شهر."):
        art = run(text)
        assert art.events == [] and art.background, text


def test_a_day_counted_back_dates_only_the_act_beside_it():
    ev, = run("تجمع عشرات المحتجين أمام مقر شركة نفطية في مدينة البصرة، وهددوا بتنظيم اعتصام "
              "مفتوح أمامها، وهو ما يثير مخاوف السلطات من تكرار حادثة اقتحام منشآت نفطية في "
              "المدينة قبل أسبوع.").events
    assert ev.kind == "protest" and ev.date == PUB


def test_since_a_year_long_gone_is_background():
    art = run("ويؤكد هؤلاء أنه منذ الغزو الأمريكي للعراق الذي أطاح بالنظام في العام 2003، "
              "سيطرت الميليشيات على مدينة البصرة.")
    assert art.events == [] and art.background


def test_seizing_money_is_no_capture_of_a_place():
    assert run("وشهدت مدينة البصرة أمس الاستيلاء على الأموال العامة.").events == []


def test_thousands_killed_are_a_campaign_not_one_act():
    art = run("وقال إنه اعترف الآن بقتل آلاف المعتقلين في مدينة داريا.")
    assert art.events == [] and art.background
    # thousands fleeing are one displacement (the Aleppo example's exodus), not a campaign
    assert [e.kind for e in run("نزح آلاف المدنيين من مدينة حلب أمس.").events] == ["displacement"]


def test_recent_date_keeps_news_beside_history():
    art = run("قتل 5 أشخاص أمس في غارة على مدينة إدلب، في أعنف هجوم منذ 2015.")
    assert kinds(art) == ["air_strike"] and art.events[0].date == PUB - dt.timedelta(days=1)


def test_date_of_a_statement_is_not_the_date_of_the_event():
    art = run("قتل 4 أشخاص في قصف على مدينة إدلب، وفق ما قال المرصد السوري، الأحد.")
    # الأحد dates the saying, not the shelling: the event keeps the publication day
    assert art.events[0].date == PUB


def test_undated_sentence_takes_the_day_of_the_story():
    art = run("قصفت طائرات حربية مدينة إدلب أمس. وقتل في القصف 6 مدنيين في مدينة معرة النعمان.")
    assert {e.date for e in art.events} == {PUB - dt.timedelta(days=1)}


# --- numbers: only deaths are deaths -------------------------------------------------------

def test_wounded_are_not_deaths():
    art = run("قصفت القوات الحكومية بلدة كفرنبل بعشرات القذائف ما أسفر عن سقوط قتلى وعشرات الجرحى.")
    assert art.events[0].fatalities is None


@pytest.mark.parametrize("text", [
    "أعلن الجيش مقتل 128 مسلحا في غارات على مدينة الحديدة خلال اليومين الماضيين.",
    "كشف الجيش عن مقتل 500 عنصر في معركة مدينة الحديدة، خلال الستة الأيام الماضية.",
    "وقالت الوزيرة إن الجيش حيد 450 مسلحا في مدينة غاو منذ صيف العام 2014، من بينهم 120 قتلوا.",
    "ودحر الجيش عناصر الميليشيا في مواقع مدينة ميدي، حيث بلغ قتلى الميليشيا أكثر من ثمانين عنصرا "
    "بينهم سبعة قادة ميدانيين، مع عدد من الأسرى خلال الشهر الماضي.",
])
def test_count_over_a_period_is_a_toll(text):
    art = run(text)
    assert all(e.fatalities is None for e in art.events + art.background), text


def test_one_leader_killed_is_one_death_unless_others_died_with_him():
    ev, = run("تحدثت وسائل إعلام لبنانية عن مقتل قيادي في ميليشيا حزب الله في سوريا.").events
    assert ev.fatalities == 1
    ev, = run("كشفت مصادر عسكرية عن مقتل قيادي ميداني بارز في ميليشيات الحوثي ومعه آخرون، خلال "
              "المعارك الدائرة في محافظة البيضاء.").events
    assert ev.fatalities is None
    ev, = run("قتل شخص وأصيب 4 آخرون مساء السبت وسط مدينة باريس على يد رجل مسلح بسكين.").events
    assert ev.fatalities == 1  # the others are the wounded


def test_a_unit_s_number_is_no_count():
    ev, = run("أعلنت ميليشيات الحوثي مقتل قائد اللواء 405 مشاة، الذي قتل في مواجهات مع الجيش "
              "اليمني بمحافظة الجوف.").events
    assert ev.fatalities == 1


def test_deaths_stay_with_their_own_report():
    art = run("قال الجيش إنه قتل 11 مسلحا في ولاية هاتاي، فيما قتل جنديان في انفجار بمدينة عفرين.")
    blast = [e for e in art.events if e.kind == "explosion"]
    assert blast and blast[0].fatalities == 2


def test_hashtag_words_are_read():
    art = run("انفجار سيارة مفخخة في #مقديشو ما أسفر عن #مقتل_شخصين على الأقل.")
    assert (art.events + art.unplaced)[0].fatalities == 2


# --- roles ---------------------------------------------------------------------------------

def test_the_speaker_who_says_it_acted_is_the_agent():
    ev = run("قالت إسرائيل إنها هاجمت أمس مواقع تابعة لحزب الله في سوريا.").events[0]
    assert "Israel" in ev.actor1 and ev.actor2 == "Hezbollah"


def test_victims_before_a_strike_are_not_its_agents():
    ev = run("قتل ثلاثة مدنيين وأصيب عشرون آخرون في قصف على بلدة كفرنبل.").events[0]
    assert ev.actor1 is None and ev.actor2.startswith("Civilians")


def test_people_killed_in_an_explosion_suffered_it():
    ev = run("قالت وزارة الصحة إن خمسة فلسطينيين قتلوا في انفجار في مدينة خان يونس.").events[0]
    assert ev.actor1 is None and ev.fatalities == 5


def test_demonstrators_are_actor1_and_the_forces_actor2():
    ev = run("أطلقت قوات الأمن العراقية النار لتفريق تظاهرة في مدينة البصرة.").events[0]
    assert ev.kind in ("protest", "riot") and ev.actor1.startswith(("Protesters", "Rioters"))
    assert ev.actor2 is not None and "Iraq" in ev.actor2


def test_a_clash_between_two_sides():
    ev = run("اندلعت اشتباكات بين قوات النظام السوري وهيئة تحرير الشام في بلدة خان شيخون.").events[0]
    assert ev.actor1 == "Military Forces of Syria" and ev.actor2 == "Hayat Tahrir al-Sham"


def test_aircraft_of_a_named_force_are_that_force():
    ev = run("قتل قيادي حوثي في غارة جوية لمقاتلات التحالف العربي جنوب مدينة الحديدة.").events[0]
    assert ev.actor1 is not None and "Coalition" in ev.actor1


def test_a_nisba_of_a_place_or_a_source_is_not_an_actor():
    ev = run("قالت مصادر أمنية عراقية إن 16 شخصا قتلوا في تفجير بمدينة الصدر في بغداد.").events[0]
    assert ev.actor1 is None


# --- literal violence ----------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "وصف الوزير قرار خفض التمويل بأنه اعتداء على حقوق الشعب الفلسطيني في مدينة رام الله.",
    "ندد البيان بالاعتداءات الإسرائيلية المتكررة على مدينة القدس.",
    "قضت محكمة في مدينة أم درمان بإعدام امرأة قتلت زوجها.",
    "مقتل 20 شخصا في حادث سير في مدينة حلب.",
    "طعن رجل طليقته في مدينة عمان.",
    "أحبطت قوات الجيش محاولة تفجير 4 عبوات ناسفة في مدينة رفح.",
    "وثق التحالف اغتيال 157 ناشطا في مدينة عدن.",
])
def test_rhetoric_trials_accidents_crime_and_foiled_acts_are_not_events(text):
    assert run(text).events == [], text


def test_leaving_a_deal_is_no_withdrawal():
    assert run("أعلن ترامب انسحاب بلاده من الاتفاق النووي مع إيران في طهران.").events == []


# --- one event once ------------------------------------------------------------------------

def test_a_repeated_report_is_one_event():
    art = run("قتل 20 شخصا في قصف على مدينة حلب.\nوقال المرصد إن 20 شخصا قتلوا في قصف على مدينة حلب.")
    assert kinds(art) == ["shelling"] and len(art.events[0].evidence) == 2


def test_a_locator_phrase_makes_no_event_of_its_own():
    art = run("قصفت القوات الحكومية بلدة كفرنبل، جنوب إدلب، بالمدفعية.")
    assert len(art.events) == 1 and art.events[0].place.name == "Kafranbel"


def test_an_event_without_any_place_is_not_put_on_the_map():
    art = run("قتل 23 جنديا في كمين نصبه مسلحون.")
    assert art.events == [] and art.unplaced[0].fatalities == 23


# --- denials -------------------------------------------------------------------------------

def test_a_denied_strike_reported_by_another_source_is_one_contested_event():
    art = run("نفى الجيش السوري وقوع أي غارة على مطار المزة العسكري، وقال إن الانفجار ناجم عن "
              "خلل فني. وأفاد المرصد السوري لحقوق الإنسان بأن غارة إسرائيلية استهدفت المطار.")
    assert len(art.events) == 1
    ev = art.events[0]
    assert ev.kind == "air_strike" and ev.status == "contested"
    assert {c.stance for c in ev.claims} >= {"denies"}


def test_a_denied_responsibility_makes_the_attack_contested():
    art = run("قتل خمسة جنود في هجوم على حاجز للجيش في مدينة درعا. "
              "ونفت هيئة تحرير الشام مسؤوليتها عن الهجوم.")
    assert len(art.events) == 1 and art.events[0].status == "contested"


def test_a_claimed_bombing_names_its_claimant():
    ev = run("أعلن تنظيم داعش مسؤوليته عن تفجير في مدينة كركوك أسفر عن مقتل 3 أشخاص.").events[0]
    assert ev.actor1 is not None and "Islamic State" in ev.actor1


# --- change versus state -------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "ولا تزال مدينة دير الزور تحت سيطرة دمشق.",
    "وتسيطر قوات سوريا الديمقراطية على مدينة الرقة.",
    "وباتت قوات النظام تبسط سيطرتها على كامل محافظة القنيطرة.",   # the imperfective of بسط
    "وتقع البلدة ضمن مناطق سيطرة الفصائل في الغوطة الشرقية.",     # مناطق سيطرة, also a region word
])
def test_who_holds_a_place_is_a_state_not_a_change(text):
    assert kinds(run(text)) == ["territory_held"]


@pytest.mark.parametrize("text", [
    "سيطرت هيئة تحرير الشام على بلدة خان شيخون.",
    "وبسطت قوات النظام سيطرتها على كامل محافظة القنيطرة.",        # the perfective of بسط
])
def test_a_capture_is_a_change(text):
    assert kinds(run(text)) == ["territory_control"]


def test_violence_named_only_as_a_cause_is_no_new_event():
    art = run("وقال الجيش إن المسلحين لم يحددوا مواقعهم في المدينة نتيجة الغارات الجوية.")
    assert art.events == [] and art.unplaced == []


def test_a_future_negated_attack_is_no_event():
    assert run("أعلنت روسيا أن القوات السورية لن تشن هجوما واسعا على مدينة إدلب.").events == []


def test_an_arrest_for_a_common_crime_is_not_political():
    assert run("ألقت الشرطة العراقية القبض على شاب متهم باغتصاب فتاة في مدينة دهوك.").events == []


def test_an_arrest_on_a_murder_charge_is_not_political():
    assert run("ألقت السلطات الألمانية القبض على رجل في مدينة ميونخ بتهمة قتل صحفية.").events == []


def test_condemning_an_attack_is_not_a_court_verdict():
    # "إدانة" is a condemnation far more often than a conviction: the attack condemned stays
    ev, = run("وأعربت الخارجية عن إدانة الهجوم الذي أودى بحياة 10 أشخاص في مدينة الموصل أمس.").events
    assert ev.fatalities == 10 and ev.place.name_ar == "الموصل"


def test_a_generic_attack_and_its_bombing_are_one_event():
    art = run("قتل 7 أشخاص في تفجير انتحاري استهدف كنيسة في مدينة الموصل.\n"
              "وتبنى تنظيم داعش الهجوم على الكنيسة في مدينة الموصل.")
    assert [e.kind for e in art.events] == ["explosion"]


@pytest.mark.parametrize("text", [
    "وأضاف ذلك أكثر من مرة أن القوات قصفت مدينة إدلب أمس.",
    "قصفت القوات الحكومية مدينة إدلب أمس، في إشارة إلى تصعيد جديد.",
    "قصفت القوات الحكومية مدينة إدلب أمس، على حد قوله.",
])
def test_sources_are_names(text):
    for ev in run(text).events:
        for c in ev.claims:
            assert not c.source.startswith(("ذلك", "إلى", "قوله")), c.source


def test_a_backer_is_no_place():
    ev = run("قصفت الميليشيات الموالية لإيران بلدة كفرنبل أمس.").events[0]
    assert ev.place.name == "Kafranbel"


def test_a_definite_force_before_its_victims_is_the_agent():
    ev = run("قتل الجيش الفرنسي عشرات المسلحين أمس في مدينة غاو.").events[0]
    assert ev.actor1 is not None and "France" in ev.actor1


def test_the_holder_of_a_target_is_not_the_attacker():
    ev = run("قصفت طائرات حربية منطقة تسيطر عليها المعارضة في بلدة دوما.").events[0]
    assert ev.actor1 is None or "Rebels" not in ev.actor1


def test_people_who_flee_are_not_agents():
    ev = (run("نزح مئات المدنيين من بلدة كفرنبل أمس.").events + [None])[0]
    assert ev is not None and ev.kind == "displacement" and ev.actor1 is None


@pytest.mark.parametrize("text, deaths", [
    ("قالت مصادر إن 16 شخصا قد لقوا مصرعهم وجرح عشرات آخرون في تفجير في مدينة الصدر.", 16),
    ("قال المرصد إن شخصا قتل بعد تفجير استهدف سيارة عسكرية في مدينة الرقة.", 1),
    ("قال مسؤولون إن انفجارا نفذه مهاجم انتحاري، فيما يبدو، استهدف مركزا في مدينة كابل، "
     "مما تسبب في مقتل 4 أشخاص.", 4),
])
def test_deaths_read_from_their_own_words(text, deaths):
    art = run(text)
    assert [e.fatalities for e in art.events] == [deaths]


def test_a_denial_in_its_own_words_contests_the_report():
    art = run("قتل 16 شخصا في غارات جوية تركية أصابت مستشفى عفرين.\n"
              "وتنفي تركيا استهداف قواتها للمدنيين، ونفت قصفها للمستشفى.")
    assert [(e.kind, e.status) for e in art.events + art.unplaced] == [("air_strike", "contested")]


@pytest.mark.parametrize("text", [
    "ويعيد ما يحصل اليوم إلى الأذهان معركة مدينة حلب التي انتهت بقصف عنيف.",
    "ومنذ بدء الهجوم التركي، وقع عدد من القتلى جراء سقوط قذائف على مدينة كلس.",
    "وقتل الجيش في هذه التظاهرات 148 فلسطينيا في مدينة غزة.",
    "ويسعى النظام إلى سحق آخر جيوب المعارضة، بعد السيطرة على مدينة دوما.",
])
def test_recalled_and_referred_acts_are_not_new_events(text):
    assert run(text).events == [], text


def test_an_earlier_month_is_background_even_days_after_it_ended():
    # published on the 3rd: the month before ended three days ago, yet "last month" is not
    # one of the last few days
    art = extract("وسقط نحو 60 قتيلا في هجوم انتحاري على مركز للشرطة في مدينة كابول الشهر الماضي.",
                  date=dt.date(2018, 6, 3))
    assert art.events == [] and [e.kind for e in art.background] == ["explosion"]


@pytest.mark.parametrize("text", [
    "وسرت دعوات مجهولة المصدر إلى التظاهر بكثافة في مدينة البصرة السبت.",       # a call
    "وأعلن الجيش أنه مستعد لشن هجوم على مدينة إدلب.",                             # ready to
    "وأكد الرئيس رغبته في سحب القوات من مدينة منبج.",                             # a wish
    "وشدد على ضرورة ضمان إجلاء المدنيين من مدينة درعا.",                          # to ensure
])
def test_calls_wishes_and_readiness_are_not_acts(text):
    assert run(text).events == [], text


def test_the_country_in_a_force_s_full_name_is_not_the_place():
    # "تحالف دعم الشرعية في اليمن" is the coalition's name: the strike is in Hodeidah
    ev, = run("وقتل القيادي الخميس من جراء غارة للتحالف العربي لدعم الشرعية في اليمن "
              "استهدفته في محافظة الحديدة غربي البلاد.").events
    assert ev.actor1 == "Saudi-led Coalition" and ev.place.name == "Al Hudaydah"


def test_the_act_after_ghadat_came_the_day_before_the_day_named():
    art = run("أعلنت الحكومة العراقية السبت اتخاذ إجراءات غداة مقتل شخصين بإطلاق نار في مدينة العمارة.")
    saturday = PUB - dt.timedelta(days=(PUB.weekday() - 5) % 7 or 7)
    assert [e.date for e in art.events] == [saturday - dt.timedelta(days=1)]


def test_a_side_that_denies_a_capture_denies_its_loss():
    # the spokesman speaks before his verb; "تقارير" after it is what he denies, not a source
    art = run("وقال مسؤولون أفغان إن القوات استعادت السيطرة على مدينة قندوز أمس.\n"
              "لكن المتحدث باسم طالبان نفى تقارير استعادة السيطرة على مدينة قندوز.")
    ev, = [e for e in art.events if e.kind == "territory_control"]
    assert ev.status == "contested" and ev.actor1 == "Military Forces of Afghanistan"
    assert ev.actor2 == "Taliban" and {c.source for c in ev.claims if c.stance == "denies"} == {"Taliban"}


def test_a_name_that_begins_like_a_cue_is_a_name():
    # "طالبان" (Taliban) begins like "طالب" (demanded): the attack is no demand
    ev, = run("وقال مسؤولون إن مسلحي طالبان هاجموا حاجزا للشرطة في مدينة قندوز.").events
    assert ev.kind == "attack" and ev.actor1 == "Taliban"


def test_a_day_of_an_earlier_act_after_bad_an_does_not_date_this_one():
    ev, = run("استعادت القوات الحكومية السيطرة على مدينة قندوز بعد أن سيطر مقاتلو طالبان "
              "عليها الأسبوع الماضي.").events
    assert ev.date == PUB and ev.actor1 == "Military Forces of Afghanistan"


def test_an_act_told_from_an_earlier_act_long_gone_stays_background():
    # a recent day after بعد أن belongs to the earlier act (above); a day long gone there
    # tells the act as history
    art = run("استعادت القوات الحكومية السيطرة على مدينة قندوز بعد أن سيطر عليها مقاتلو طالبان "
              "في أيار الماضي.")
    assert art.events == [] and art.background


def test_the_speaker_announcing_a_capture_took_it_and_ta_marbuta_is_no_pronoun():
    # "السيطرة الكاملة" ends in a ta marbuta, not "its"; the day between speaker and act
    ev, = run('أعلن الجيش الوطني الليبي، الأحد، السيطرة الكاملة على معقل تنظيم "أنصار الشريعة" '
              "في مدينة درنة.").events
    assert ev.actor1 == "LNA: Libyan National Army" and ev.actor2 == "Ansar al-Sharia"


@pytest.mark.parametrize("text", [
    "أعلن الجيش اليمني، الأحد، تحرير آخر مناطق مديرية ميدي، وذلك بالسيطرة على تلال جنوب المديرية.",
    "وقال الجيش اليمني في بيان إن قواته تقدمت إلى منطقة العطفين، وأحكمت السيطرة على الطرق "
    "المؤدية إلى مديرية كتاف.",
])
def test_a_side_telling_of_a_capture_with_no_other_agent_took_it(text):
    ev, = run(text).events
    assert ev.kind == "territory_control" and ev.actor1 == "Military Forces of Yemen"


def test_we_did_it_says_the_speaker():
    # a headline spoken by a side: "أحكمنا السيطرة" ("we tightened control") is its own act
    ev, = run("هيئة تحرير الشام : أحكمنا السيطرة على مدينة حلب").events
    assert ev.kind == "territory_control" and ev.actor1 == "Hayat Tahrir al-Sham"


def test_a_side_s_building_struck_makes_it_the_target():
    ev, = run("استهدفت غارة جوية مقر الشرطة في مدينة إدلب أمس.").events
    assert ev.actor1 is None and ev.actor2 == "Police Forces of Syria"


def test_the_strikes_refer_back_to_strikes_and_a_denial_to_what_struck_its_object():
    art = run("شنت طائرات تركية غارات جوية على مدينة عفرين أمس.\n"
              "وقالت مواطنة إن قذائف أصابت سيارة في حي المحمودية في مدينة عفرين.\n"
              "كما أصابت الغارات الجوية المستشفى الوحيد في عفرين، وقال المرصد إن 16 شخصا قتلوا "
              "في المستشفى.\n"
              "ولم يتمكن المسعفون من الوصول إلى المستشفى بسبب كثافة القصف.\n"
              "ونفت تركيا قصفها للمستشفى.")
    got = {e.kind: (e.fatalities, e.status) for e in art.events}
    assert got == {"air_strike": (16, "contested"), "shelling": (None, "reported")}


@pytest.mark.parametrize("text, place", [
    # a town named only to locate the pocket gives way to the region the clause names plainly
    ("وبدأ مقاتلو المعارضة الانسحاب من جيب يقع شمال شرقي دمشق في منطقة القلمون الشرقي.",
     "Eastern Qalamoun"),
    # "وسط X" is inside X, not a locator
    ("قتل أكثر من 20 مدنيا بغارات جوية على الأحياء السكنية وسط مدينة أورم الكبرى بريف إدلب.",
     "Urum al Kubra"),
])
def test_a_locating_town_gives_way_to_the_place_named(text, place):
    ev, = run(text).events
    assert ev.place.name == place


@pytest.mark.parametrize("text", [
    "تمكن رجال الإطفاء من السيطرة على الحريق في مدينة حلب.",                       # a fire
    "أعلنت قوات الأمن استعادة الهدوء في مدينة البصرة بعد الاشتباكات.",              # calm, not a place
    "وقال المتحدث إن دورية للبحرية الليبية استهدفت إنقاذ 112 مهاجرا قرب مدينة طرابلس.",  # an aim
    # a meeting to discuss attacks: each weapon of the list is the known attacks'
    "ويجتمع مجلس الأمن الدولي الأربعاء، لبحث الهجمات الفلسطينية بالصواريخ والقذائف على إسرائيل.",
])
def test_things_taken_aims_and_discussed_acts_are_no_events(text):
    assert run(text).events == [], text


def test_an_act_with_its_owner_s_pronoun_is_found_and_refers_back():
    # "غاراته" is a strike; "قصفه" later is the same bombardment, as known as "القصف"
    art = run("كثف الجيش السوري الجمعة غاراته الجوية على بلدة سقبا.\n"
              "وواصل الجيش السوري قصفه المكثف على بلدة سقبا الجمعة.")
    assert [(e.kind, e.actor1) for e in art.events] == [("air_strike", "Military Forces of Syria")]


def test_out_of_the_hands_of_a_side_is_not_by_it():
    ev, = run("وكثفت طائرات التحالف العربي غاراتها على مواقع المتمردين الحوثيين ضمن العملية "
              "العسكرية لتحرير مدينة الحديدة من أيدي الميليشيات الحوثية.").events
    assert ev.actor1 == "Saudi-led Coalition" and ev.actor2 == "Houthis (Ansar Allah)"


@pytest.mark.parametrize("text, victims", [
    # one named as the blast's victim by one word is not its agent by another word of it
    ("قالت القوات المسلحة التركية إن جنديين تركيين قتلا في انفجار عبوة ناسفة في منطقة عفرين.",
     "Military Forces of Turkey"),
    # "قُتل في الهجوم X": the passive, then a phrase, then the one killed
    ("وقتل في الهجوم قائد شرطة مدينة قندهار.", "Police Forces of Afghanistan"),
])
def test_the_killed_are_not_the_agents(text, victims):
    ev, = run(text).events
    assert ev.actor1 is None and ev.actor2 == victims


def test_a_later_claim_of_that_attack_names_its_agent_and_a_witness_country_is_no_agent():
    art = run("وشهدت أفغانستان أمس السبت انفجارا ضخما لسيارة ملغومة في مدينة جلال آباد وأسفر "
              "التفجير عن مقتل 36 شخصا.\nوأعلن تنظيم الدولة الإسلامية مسؤوليته عن ذلك الهجوم.")
    ev, = art.events
    assert (ev.kind, ev.actor1, ev.status, ev.fatalities) == (
        "explosion", "Islamic State (IS)", "claimed", 36)


def test_a_count_of_a_force_s_members_killed_and_a_target_s_owner():
    # "8 من عناصر الحرس الوطني قتلوا": eight of the guard were killed; "عربتين تابعتين لحرس
    # الحدود": the vehicles struck belonged to the border guard, who suffered the ambush
    ev, = run("أعلنت وزارة الداخلية التونسية أن 8 من عناصر الحرس الوطني قتلوا في هجوم قرب "
              "مدينة جندوبة.").events
    assert (ev.fatalities, ev.actor1, ev.actor2) == (8, None, "Police Forces of Tunisia")
    ev, = run("وأوضح مصدر تونسي أن الكمين استهدف عربتين تابعتين لحرس الحدود التونسي في "
              "مدينة جندوبة.").events
    assert (ev.actor1, ev.actor2) == (None, "Police Forces of Tunisia")


def test_killed_then_a_time_reads_as_passive():
    ev, = run("وحدث الاعتداء أثناء تشييع خمسة من مقاتلي الحشد الشعبي قتلوا ليل الأربعاء في "
              "مدينة الشرقاط.").events
    assert ev.actor1 is None and ev.actor2 == "PMF: Popular Mobilization Forces" and ev.fatalities == 5


@pytest.mark.parametrize("text", [
    "يقول المتظاهر حسين غازي من مدينة البصرة إن هذه الحقول ملك لنا.",        # a protester quoted
    "وقال إن صالح الصماد، رئيس المجلس السياسي في مدينة صنعاء، والمقتول بغارة للتحالف، "
    "كان يرأس جماعة إرهابية.",                                                # a known death
])
def test_a_person_described_is_no_event(text):
    assert run(text).events == [], text


def test_a_reporter_s_station_is_not_the_place():
    ev, = run("وأكد مراسل فرانس24 في طرابلس أن الوضع الإنساني في مدينة درنة متدهور جراء القصف "
              "الذي تقوم به القوات المسلحة بقيادة حفتر.").events
    assert ev.place.name == "Darnah"


def test_a_cause_whose_agent_a_relative_clause_names_is_an_act():
    ev, = run("وأكد مسؤول محلي أن الوضع الإنساني في مدينة درنة متدهور جراء القصف الذي تقوم به "
              "القوات المسلحة بقيادة حفتر.").events
    assert ev.kind == "shelling" and ev.place.name == "Darnah"


def test_an_intercepted_missile_is_the_firer_s_act_not_an_air_strike():
    # "الدفاعات الجوية" intercepts: its aerial word makes no air strike, and the defender is
    # not the agent; "أطلقه الحوثيون" names who fired
    ev, = run("اعترضت الدفاعات الجوية السعودية صاروخا باليستيا أطلقه الحوثيون على مدينة جازان.").events
    assert (ev.kind, ev.actor1) == ("shelling", "Houthis (Ansar Allah)")
    # a repelled attack stays the attacker's
    ev, = run("وقال إن المقاتلين صدوا هجوم قوات الأمن على مدينة قندوز.").events
    assert ev.actor1 == "Police Forces of Afghanistan"


def test_a_place_told_in_what_is_believed_about_someone_is_not_the_act_s():
    art = run("أعلن مصدر أمني أن المخابرات اللبنانية اعتقلت، اليوم الأربعاء، رجلا تعتقد أنه كان "
              "مسؤولا ماليا في داعش في سوريا.")
    assert [e.place.name for e in art.events] == [] and [e.kind for e in art.unplaced] == ["arrest"]
    # a clause with no verb of its own does not take the place away
    ev, = run("توفي حارس أمن متأثرا بجروح أصيب بها إثر تعرضه للطعن على يد مهاجم يشتبه بأنه "
              "فلسطيني في مدينة القدس القديمة الأحد.").events
    assert ev.place is not None and ev.place.name == "Jerusalem"
    # nor does a clause that tells the act itself
    ev, = run("قتل خمسة أشخاص في غارة قالت مصادر محلية إنها استهدفت بلدة كفرنبل.").events
    assert ev.place is not None and ev.place.name == "Kafranbel"


def test_a_denial_that_anything_happened_is_no_event():
    art = run("نفى الجيش وقوع أي غارة على مدينة حماة أمس.")
    assert art.events == [] and art.unplaced == []


# --- roles, clauses and names found by the dev gold ---------------------------------------------

def test_authorities_that_arrest_are_the_agent():
    ev, = run("اعتقلت السلطات الأردنية خمسة أشخاص في مدينة الزرقاء.").events
    assert ev.kind == "arrest" and ev.actor1 == "Government of Jordan" and ev.actor2 != ev.actor1


def test_a_day_set_off_by_commas_does_not_end_the_clause():
    # the place after "، الأحد،" is still the place of the act before it
    ev, = run("اعتقلت الشرطة ثلاثة مطلوبين من عصابة مسلحة معروفة لدى الأجهزة الأمنية، الأحد، "
              "في مدينة الزرقاء.").events
    assert ev.place is not None and ev.place.name == "Zarqa"


def test_an_unknown_neighbourhood_name_stops_at_function_words():
    ev = run("استهدفت غارة منزلا في حي الورود مما أسفر عن مقتل شخصين في مدينة سبها.").events
    assert ev and all("مما" not in (e.place.text or "") for e in ev if e.place)


def test_a_linked_headline_of_another_story_is_not_news():
    art = run("اقرأ أيضا: جرحى في تفجير قرب سوق شعبي وسط بغداد")
    assert art.events == [] and [e.kind for e in art.background] == ["explosion"]


@pytest.mark.parametrize("text", [
    "شهدت مصفاة نفط كبيرة في كندا، صباح الاثنين، انفجارات ضخمة.",        # a landmark and an industrial site
    "قتل 12 شخصا في حادث سير على طريق سريع، حسبما ذكرت الشرطة.",       # the police only tell of it
])
def test_mishaps_are_not_political_violence(text):
    assert run(text).events == []


def test_a_feature_noun_with_the_article_takes_an_adjective_not_a_name():
    art = run("قصفت المدفعية الأحياء السكنية في مدينة حيس.")
    assert [e.place.name for e in art.events] == ["Hays"]


def test_a_city_that_holds_a_neighbourhood_is_the_city_not_its_region():
    ev, = run("قصفت الطائرات حي الشجاعية في غزة.").events
    assert ev.place.name == "Gaza" and ev.place.precision == 2


def test_shells_fall_where_they_are_fired_at_not_where_they_are_fired_from():
    ev, = run("أطلقت 30 قذيفة هاون من قطاع غزة على مستوطنات جنوب إسرائيل.").events
    assert ev.place.country == "Israel"


def test_a_country_gives_way_to_a_town_of_it_named_in_the_sentence():
    ev, = run("تواصلت المظاهرات في جنوب العراق وأعلنت السلطات حظر التجول في البصرة.").events
    assert ev.kind == "protest" and ev.place.name.startswith("Basr")


def test_a_container_is_resolved_before_what_it_contains():
    ev, = run("اشتباكات مع مسلحين في منطقة التل بمدينة طرابلس شمالي لبنان.").events
    assert ev.place.country == "Lebanon" and ev.place.precision == 2


def test_the_story_place_goes_on_into_the_next_sentence():
    art = run("قصفت المدفعية بلدة كفرنبل جنوب إدلب. واعتقلت الشرطة ثلاثة أشخاص. "
              "وقال الوزير إن الوضع مستقر. وقتل شخص في انفجار عبوة ناسفة.")
    assert [e.place.name for e in art.events if e.kind == "arrest"] == ["Kafranbel"]
    assert [e.kind for e in art.unplaced] == ["explosion"]  # two sentences on, it no longer carries


def test_the_town_refers_to_the_town_not_to_the_city_that_locates_it():
    art = run("قصفت المدفعية بلدة كفرنبل جنوب إدلب، واعتقلت الشرطة لاحقا شخصا من أهالي البلدة.")
    assert {e.place.name for e in art.events} == {"Kafranbel"}


def test_acts_an_adjective_says_came_earlier_are_background():
    art = run("وكانت الطائرات الأمريكية قد نفذت في مدينة سبها غارات سابقة. كما شنت غارات مماثلة سابقة في مدينة سبها.")
    assert art.events == [] and art.background


def test_tank_fire_at_demonstrators_is_shelling_and_the_crowd_its_target():
    art = run("وأطلقت قوات الاحتلال النار من الدبابات تجاه المتظاهرين شرقي مدينة رفح.")
    assert [(e.kind, e.actor1, e.actor2) for e in art.events] == [
        ("shelling", "Military Forces of Israel", "Protesters (Palestine)")]


def test_fire_opened_on_a_crowd_after_the_subject_is_found():
    # "فتحت قوات الأمن النار على": the verb and النار are apart; النار على still names the act
    ev, = run("فتحت قوات الأمن النار على المتظاهرين في مدينة البصرة.").events
    assert any(s.text.startswith("النار") for s in ev.spans["trigger"])


def test_one_toll_over_several_places_is_divided_not_repeated():
    art = run("دمرت طائرات التحالف 6 مركبات عسكرية وقتلت 100 عنصر في محافظتي صعدة والحديدة.")
    assert len(art.events) == 2 and sum(e.fatalities for e in art.events) == 100


def test_the_dead_and_the_wounded_counted_together_are_no_death_toll():
    ev, = run("سقط 11 قتيلا وجريحا في قصف على مدينة حيس.").events
    assert ev.fatalities is None


@pytest.mark.parametrize("text", ["قصفت الطائرات مدينة حلب ثم الحي", "انفجرت عبوة قرب الدوار"])
def test_a_feature_noun_that_ends_the_sentence(text):
    run(text)  # a feature word with nothing after it names nothing, and breaks nothing


def test_recently_in_another_clause_leaves_the_act_news():
    # "مؤخرا" dates the fighting that the faction does, not the agreement after it
    art = run("سلم عشرات المسلحين أنفسهم اليوم لفصيل يقاتل مؤخرا مع الجيش بعد اتفاق تسوية في بلدة حيط.")
    assert "agreement" in kinds(art)


@pytest.mark.parametrize("text", [
    "الميليشيا تحاصر مدنا وقرى يمنية وتمنع دخول المساعدات.",    # a plural feature word, an adjective
    "سيطرت القوات على 27 قرية وبلدة في ريف المدينة.",           # a feature word is not a name
])
def test_no_place_named_by_an_adjective_or_a_feature_word(text):
    names = [e.place.name_ar for e in run(text).events + run(text).unplaced if e.place]
    assert not any(n and ("يمنية" in n or "بلدة" in n) for n in names), names


def test_the_gaza_strip_is_not_inside_the_country_its_shells_are_fired_at():
    from hadath.extract.geocode import geocode

    text = "أطلقت 30 قذيفة هاون من قطاع غزة على مستوطنات جنوب إسرائيل."
    places = {m.mention: m for m in geocode(text)}
    assert places["قطاع غزة"].name == "Gaza Strip", places
    art = run(text)
    assert [e.place.country for e in art.events] == ["Israel"]


def test_a_violent_act_named_only_with_where_it_came_from_is_not_placed_there():
    art = run("وقصفت الطائرات مواقع بعد وصول تعزيزات من مدينة صنعاء.")
    assert all(e.place is None or e.place.name != "Sanaa" for e in art.events), art.events


@pytest.mark.parametrize("text", [
    "وجاء القصف بعد يوم من وصول تعزيزات إلى مدينة ذمار.",
    "ويأتي الهجوم في وقت تشهد فيه مدينة حلب توترا.",
    "وقال إن احتدام المعارك جاء بعد فشل مفاوضات لنقل المقاتلين إلى البادية السورية.",
    "ومع تصاعد القلق جراء استمرار المعارك بين الجيش والفصائل المسلحة في جنوب غرب سوريا، أكد "
    "المجلس أهمية التهدئة.",
    "وتتواصل المعارك في محيط مدينة عفرين.",                          # fighting that goes on
])
def test_an_act_framed_by_jaa_or_yati_is_one_the_reader_knows(text):
    assert run(text).events == [], text


def test_the_subject_of_tamakkana_is_the_agent_of_the_act_it_governs():
    ev, = run("وقالت المصادر إن القوات الجوية المصرية تمكنت خلال الحملات الأمنية المكثفة "
              "من قصف 60 وكرا للمسلحين في مدينة العريش.").events
    assert ev.actor1 == "Military Forces of Egypt" and ev.kind == "air_strike", ev
    assert ev.actor2 == "Unidentified Armed Group (Egypt)", ev


@pytest.mark.parametrize("text", [
    "وأسفر قصف مقرا للمسلحين في مدينة إدلب عن دمار كبير.",
    "وأسفر قصف استهدف تجمعات للمسلحين في مدينة إدلب عن دمار كبير.",
])
def test_an_actor_written_with_li_after_a_target_noun_owns_the_target(text):
    ev, = run(text).events
    assert ev.actor1 != ev.actor2 and ev.actor2 == "Unidentified Armed Group (Syria)", ev


def test_the_act_named_again_with_the_article_is_the_act_already_told():
    art = run("قتل 16 شخصا في تفجير قرب مسجد في مدينة الصدر ببغداد. وقال شهود إن الانفجار "
              "أحدث أضرارا بالغة، بينما قالت إحدى سكان المدينة إن الانفجار هز المنازل.")
    assert kinds(art) == ["explosion"], art.events


def test_two_acts_of_one_kind_at_two_towns_stay_two():
    art = run("قتل 16 شخصا في تفجير في مدينة الصدر. وقتل خمسة آخرون في تفجير في مدينة الموصل.")
    assert kinds(art) == ["explosion", "explosion"], art.events


def test_an_act_that_took_place_somewhere_is_an_event():
    art = run("استهدف هجوم انتحاري مقرا للحشد الشعبي في شمال العراق. ووقع الهجوم وسط مدينة كركوك.")
    assert [(e.kind, e.place.name) for e in art.events] == [("explosion", "Kirkuk")], art.events
    assert run("ووقع الهجوم الإعلامي على الحكومة في البرلمان.").events == []
    art = run("قتلت امرأة في تفجير عبوة ناسفة على طريق جنوب شرقي تركيا. وذكرت الوكالة أن الهجوم "
              "وقع على طريق بالقرب من مدينة يوكسيكوفا.")
    assert [(e.kind, e.place.name) for e in art.events] == [("explosion", "Yuksekova")], art.events


def test_a_place_named_after_another_act_is_where_that_act_happened():
    art = run("وشنت قوات أميركية ضربات جوية على سوريا فجر السبت ردا على هجوم دوما.")
    strike, = [e for e in art.events if e.kind == "air_strike"]
    assert strike.place.name == "Syria", strike


def test_a_country_whose_name_is_a_word_is_a_place_only_after_a_preposition_or_locator():
    ev, = run("قتل عشرة جنود في هجوم شمالي مالي.").events
    assert ev.place.name == "Mali" and ev.place.precision == 6
    art = run("وقدمت الحكومة دعم مالي للجيش بعد قصف على مدينة حلب.")
    assert all(e.place.name != "Mali" and e.actor1 != "Military Forces of Mali" for e in art.events)


@pytest.mark.parametrize("text", [
    "وصلاح هو الناجي الوحيد من الخلية التي نفذت اعتداءات باريس.",   # a known act describes the actor
    "وظهر زعيم الجماعة التي نفذت التفجير في مدينة كركوك في تسجيل مصور.",
    "قتلت الأمطار الغزيرة أكثر من 100 شخص في غرب اليابان.",          # a natural hazard
    "وقاتل المتهم في مدينة الرقة حيث أصيب بقذيفة هاون، وفق ما قال أمام المحكمة.",  # testimony
])
def test_no_event_is_made_of_a_description_or_a_disaster(text):
    assert run(text).events == [], text


def test_an_indefinite_act_in_a_relative_clause_is_still_news():
    art = run("وقالت القوات التي شنت هجوما على بلدة كفرنبل أمس إنها قتلت 10 مسلحين.")
    assert [e.place.name for e in art.events] == ["Kafranbel"]


def test_battles_that_rage_somewhere_are_events():
    ev, = run("واحتدمت المعارك البرية في محيط الغوطة الشرقية الأحد.").events
    assert ev.kind == "armed_clash" and ev.place.name == "Eastern Ghouta"


@pytest.mark.parametrize("text", [
    "وتواصلت المعارك السياسية في بغداد.",
    "وشن الحزب هجوما إعلاميا على الحكومة في بغداد.",
    "واحتدمت الحرب الكلامية بين الطرفين في بيروت.",
])
def test_a_battle_of_another_kind_is_no_event(text):
    assert run(text).events == [], text


def test_refusing_a_deal_or_naming_a_body_is_no_agreement():
    art = run("وأفادت وكالة سانا عن إخراج آخر دفعة من المسلحين الرافضين للتسوية من بلدة جباثا الخشب "
              "في ريف القنيطرة.")
    assert kinds(art) == ["displacement"], art.events
    art = run("ونقلت الوكالة عن مركز المصالحة قوله إن سبعة آلاف شخص غادروا منطقة الغوطة الشرقية.")
    assert kinds(art) == ["displacement"], art.events


def test_taking_hostages_is_an_abduction_not_an_arrest():
    art = run("هاجم مسلح متجرا في بلدة تريب الفرنسية واحتجز رهائن.")
    assert "abduction" in kinds(art) and "arrest" not in kinds(art), art.events


def test_a_withdrawal_with_no_place_of_its_own_does_not_borrow_one():
    art = run("وسيطرت القوات على بلدة خناصر، وحاصرت المسلحين في بلدة السفيرة، مع استمرار تقدم "
              "القوات وانسحاب المسلحين.")
    assert "withdrawal" not in kinds(art), art.events


def test_a_takeover_named_after_since_or_after_is_known():
    art = run("وشهدت حرية التعبير انتكاسة كبرى في اليمن، بعد سيطرة الميليشيات الانقلابية.")
    assert art.events == [], art.events


def test_news_kept_by_a_recent_day_is_dated_that_day():
    ev, = run("أعلنت وزارة الداخلية المصرية، الخميس، مقتل 10 من المتورطين في استهداف موكب مدير "
              "أمن الإسكندرية في 24 مارس الماضي.").events
    assert ev.date == dt.date(2018, 6, 7), ev.date


def test_a_nisba_after_the_strike_is_the_strikes_not_the_victims():
    ev, = run("قتل خمسة مدنيين في غارة إسرائيلية على مدينة حمص.").events
    assert ev.actor1 == "Military Forces of Israel" and ev.actor2 == "Civilians (Syria)", ev


def test_an_army_that_announces_a_strike_with_no_agent_named_made_it():
    ev, = run("أعلن الجيش الأمريكي مقتل اثنين من الإرهابيين في غارة جوية على مدينة أوباري.").events
    assert ev.actor1 == "Military Forces of the United States", ev
    ev, = run("أعلن الجيش السوري مقتل خمسة مدنيين في غارة إسرائيلية على مدينة حمص.").events
    assert ev.actor1 == "Military Forces of Israel", ev


def test_the_sides_of_a_clash_between_members_of_a_group_and_another():
    ev, = run("اندلعت اشتباكات مسلحة بين عناصر من ميليشيا حزب الله ومسلحين في بلدة قرب مدينة بعلبك.").events
    assert ev.actor1 == "Hezbollah", ev


def test_a_quarter_the_gazetteer_lacks_is_placed_in_the_storys_town_and_merges():
    art = run("أعلن الجيش الأمريكي مقتل اثنين من الإرهابيين في غارة جوية على مدينة أوباري. "
              "وبحسب الوكالة، استهدف منزل في حي الفرسان مما أسفر عن مقتل شخصين.")
    assert [(e.kind, e.place.name) for e in art.events] == [("air_strike", "Ubari")], art.events


def test_sources_of_the_acting_state_claim_its_act():
    ev, = run("قتل 15 مسلحا في ضربات جوية للجيش المصري على مدينة العريش، وفق ما ذكرت مصادر أمنية "
              "مصرية.").events
    assert ev.status == "claimed" and ev.claims[0].source == "Security Sources (Egypt)", ev.claims
    ev, = run("وقالت مصادر عسكرية سورية إن الجيش السوري سيطر على بلدة خان شيخون.").events
    assert ev.status == "claimed", ev.claims


def test_people_are_abducted_from_where_they_were():
    art = run("ونقل المقاتلون إلى البادية السورية مقابل إطلاق سراح 30 سيدة خطفهم التنظيم أمس من "
              "محافظة السويداء المجاورة.")
    abduction, = [e for e in art.events if e.kind == "abduction"]
    assert abduction.place.name == "As-Suwayda", abduction.place


def test_what_a_negotiation_aims_at_is_no_event():
    art = run("وفشلت مفاوضات كانت تهدف إلى إجلاء آلاف المدنيين من بلدة حيط إلى مدينة إدلب.")
    assert art.events == [], art.events


def test_a_denial_goes_to_the_act_at_the_place_it_names_not_the_nearest_one_told():
    art = run("قصفت الطائرات مدينة دوما أمس، وفق المرصد السوري. وقصفت الطائرات مدينة حرستا أمس، "
              "وفق ناشطين. ونفى الجيش الروسي الغارة على مدينة دوما.")
    assert {e.place.name: e.status for e in art.events} == {"Duma": "contested",
                                                             "Harasta": "reported"}


def test_the_bombardment_named_again_is_the_strike_told_before():
    art = run("نفذت القوات الأميركية غارة جوية على مدينة أوباري السبت. وقال المتحدث إن القصف الذي "
              "استهدف منزلا بأوباري ظهر السبت كان بالتنسيق مع الحكومة.")
    assert kinds(art) == ["air_strike"], art.events


def test_an_act_named_with_the_article_at_towns_of_its_own_is_not_one_told_before():
    art = run("قصفت الطائرات مدينة دوما أمس. وقال إن القصف الجوي يتركز على بلدتي مسرابا وحرستا.")
    assert sorted(e.place.name for e in art.events) == ["Duma", "Harasta", "Misraba"], art.events


def test_where_a_body_sits_is_not_what_the_city_refers_to():
    art = run("قصفت الطائرات مدينة عفرين أمس، وفق المرصد السوري لحقوق الإنسان الذي يتخذ من لندن "
              "مقرا له. وقال المرصد إن القوات التركية بدأت في دخول المناطق بشمال المدينة.")
    assert {e.place.name for e in art.events} == {"`Afrin"}, art.events


def test_where_a_body_sits_is_not_what_the_city_refers_to_in_its_own_sentence():
    art = run("قصفت الطائرات مدينة عفرين أمس. وقال المرصد الذي يتخذ من لندن مقرا له إن القوات "
              "التركية بدأت في دخول المناطق بشمال المدينة.")
    assert all(e.place.name != "London" for e in art.events), art.events


def test_a_death_phrase_split_by_its_subject_is_still_a_death():
    """"لقي X مصرعهم": the subject stands between the verb and its object (VSO); the count is
    the event's deaths."""
    ev, = run("لقي ستة مسلحين مصرعهم في اشتباك مع قوات الأمن في مدينة العريش.").events
    assert ev.fatalities == 6 and ev.place.name == "Arīsh"


def test_a_crashed_aircraft_is_no_armed_actor():
    """"لقوا حتفهم في تحطم طائرة": the aircraft is what crashed, not who killed them; a strike by
    an aircraft is still a strike."""
    assert not run("قتل 6 أشخاص في تحطم طائرة صغيرة قرب مدينة جوبا.").events
    ev, = run("قتل 5 أشخاص في غارة لطائرة حربية على مدينة حلب.").events
    assert ev.kind == "air_strike"


def test_entering_takes_a_place_only_when_a_place_is_entered():
    """"دخلوا إلى الطائرة" (they boarded the plane) takes nothing, though the sentence names
    the airport; "دخل الجيش بلدة X" takes the town."""
    assert "territory_control" not in kinds(run(
        "وارتدى الضباط ملابس عمال في مطار دمشق ودخلوا إلى الطائرة لتفتيشها."))
    assert "territory_control" in kinds(run("ودخل الجيش بلدة كفرنبل بعد معارك عنيفة."))


def test_two_reports_of_one_clash_merge_whichever_side_they_name_first():
    art = run("اندلعت اشتباكات بين الجيش والمسلحين في مدينة درنة. "
              "وقال مصدر إن المسلحين اشتبكوا مع الجيش في مدينة درنة لساعات.")
    assert kinds(art) == ["armed_clash"]


def test_an_act_answered_is_told_as_known():
    """"ضربات ردا على هجوم دوما": the attack answered is not a new event at Duma, and the
    soldiers avenged are not the shelling's dead."""
    art = run("شنت طائرات أميركية ضربات جوية على مواقع في سوريا فجر اليوم ردا على هجوم دوما.")
    assert kinds(art) == ["air_strike"]
    ev, = run("قصفت المدفعية بلدة كفرنبل انتقاما لمقتل جنديين.").events
    assert ev.fatalities is None


def test_an_act_looked_into_is_told_as_known():
    assert not run("وفتحت الشرطة تحقيقا في الانفجار الذي وقع في حي الرمال بمدينة غزة.").events


def test_blame_for_an_act_is_no_report_of_it():
    """"حمّلت X Y المسؤولية عن الهجوم" charges Y with a known act; "أعلن X مسؤوليته عن الهجوم"
    with its deaths still reports it."""
    assert not run("وتحمل الحكومتان روسيا مسؤولية إسقاط الطائرة ومقتل ركابها الـ298.").events
    assert not run("حملت الحكومة جماعة الحوثي المسؤولية عن الهجوم الذي استهدف مدينة مأرب.").events
    ev, = run("أعلن تنظيم داعش مسؤوليته عن الهجوم الذي استهدف مدينة العريش وأسفر عن مقتل 5 جنود.").events
    assert ev.fatalities == 5


def test_the_coalition_is_the_theatres():
    """"طائرات التحالف": the Saudi-led coalition over Yemen, the US-led one over Syria
    (actor_theatres.tsv)."""
    yemen, = run("قصفت طائرات التحالف مواقع للحوثيين في مديرية التحيتا بمحافظة الحديدة.").events
    syria, = run("قصفت طائرات التحالف مواقع لتنظيم داعش في مدينة الرقة.").events
    assert (yemen.actor1, syria.actor1) == ("Saudi-led Coalition", "International Coalition")


def test_generic_armed_groups_are_the_theatres():
    """"الميليشيات الموالية لإيران" are the Houthis in Yemen and Iran's own forces in Syria
    (actor_theatres.tsv)."""
    yemen, = run("قصفت الميليشيات الموالية لإيران أحياء مدينة تعز بقذائف الهاون.").events
    syria, = run("قصفت الميليشيات الموالية لإيران مدينة دير الزور.").events
    assert (yemen.actor1, syria.actor1) == ("Houthis (Ansar Allah)", "Military Forces of Iran")
    # "متمردون أكراد" in Turkey are the PKK; elsewhere Kurdish forces
    turkey, = run("قتل جنديان في تفجير متمردين أكراد لعبوة ناسفة قرب مدينة يوكسيكوفا جنوب شرقي تركيا.").events
    syria, = run("اشتبك مسلحون أكراد مع قوات النظام في مدينة الحسكة.").events
    assert (turkey.actor1, syria.actor1) == ("PKK: Kurdistan Workers' Party", "Kurdish Forces")


def test_a_role_word_takes_the_owner_named_after_it():
    """"طائرات من طراز أباتشي تابعة للتحالف": the aircraft are the coalition's, not the
    country's own air force."""
    ev, = run("دمرت طائرات من طراز أباتشي تابعة للتحالف دبابات للحوثيين في مديرية التحيتا.").events
    assert ev.actor1 == "Saudi-led Coalition"


def test_the_side_that_lost_men_in_a_clash_is_a_side():
    """"قتل جندي إثر اشتباكات مع مسلحين": the army fought the gunmen (actor1), not nobody."""
    ev, = run("قتل جندي من الجيش العراقي إثر اشتباكات مع مسلحين في قضاء الطارمية شمال بغداد.").events
    assert ev.kind == "armed_clash" and ev.actor1 == "Military Forces of Iraq"
    assert ev.actor2 and ev.actor2.startswith("Unidentified Armed Group")


def test_the_seat_of_an_organisation_is_neither_actor_nor_place():
    """"منظمة حقوقية مقرها المملكة المتحدة": where the monitor sits, not who struck or where."""
    ev, = run("قتل 36 شخصا في غارات جوية على بلدة زملكا، وتحدثت منظمة حقوقية مقرها المملكة المتحدة "
              "عن مقتل آخرين.").events
    assert ev.actor1 is None and ev.place.name_ar == "زملكا"


def test_near_a_town_is_not_close_to_it():
    """"على مقربة من الموصل" places the act near Mosul ("المقربة من إيران" is an allegiance)."""
    ev, = run("انفجرت عبوة ناسفة على مقربة من الموصل.").events
    assert ev.place is not None and ev.place.name_ar == "الموصل"


def test_a_place_spared_an_act_saw_none():
    """"بقيت المدينة بمنأى عن القصف": the shelling did not reach it."""
    assert run("وبقيت مدينة السويداء بمنأى عن القصف والغارات الجوية خلال الأسبوع.").events == []


def test_a_cause_after_a_comma_goes_on_with_the_act():
    """"قتل ...، جراء عمليات للجيش في مدن X وY": the cause phrase after the comma holds the
    act's places (one event each) and its agent (the force whose operations they were)."""
    art = run("قتل عشرات المسلحين خلال اليومين الماضيين، جراء عمليات لقوات الجيش المصري في مدن "
              "رفح والشيخ زويد والعريش.")
    assert sorted(e.place.name_ar for e in art.events) == ["الشيخ زويد", "العريش", "رفح"]
    assert {e.actor1 for e in art.events} == {"Military Forces of Egypt"}


def test_a_capital_that_speaks_is_not_a_place():
    """"فيما نفت موسكو استهداف المدنيين": Moscow is the government denying, and nothing
    happened in Moscow."""
    art = run("قتل خمسة مدنيين في قصف على بلدة كفرنبل، فيما نفت موسكو استهداف المدنيين.")
    assert [e.place.name for e in art.events] == ["Kafranbel"]


def test_a_nationality_after_a_feature_word_is_no_name():
    """"مدينة ليبية" is a Libyan city, not a town called ليبية."""
    art = run("وسيطر الجيش على مدينة ليبية جديدة بعد معارك عنيفة.")
    assert all(e.place is None or "ليبية" not in (e.place.name_ar or "") for e in art.events + art.unplaced)


def test_a_nisba_in_the_accusative_is_no_country():
    """"مقتل 12 جنديا تركيا في إقليم كردستان": Turkish soldiers (تركيًا, spelt as the country),
    killed in Iraq; "جنود أتراك" is the broken plural of the same nisba."""
    ev, = run("أعلن حزب العمال الكردستاني مقتل 12 جنديا تركيا في إقليم كردستان شمال العراق.").events
    assert ev.actor2 == "Military Forces of Turkey" and ev.place.country == "Iraq"
    assert ev.actor1 not in ("Military Forces of Iraq", "Military Forces of Turkey")
    ev, = run("قتل جنود أتراك في هجوم على مدينة عفرين.").events
    assert ev.actor2 == "Military Forces of Turkey"
    # "قوات الدفاع الشعبي", the PKK's armed wing, by its own name
    ev, = run("نفذت قوات الدفاع الشعبي هجوما على موقع للجيش التركي في ولاية هكاري.").unplaced
    assert ev.actor1 == "PKK: Kurdistan Workers' Party"


def test_a_lede_without_a_day_takes_the_day_the_story_gives():
    """A report published the morning after: the lede names no day, the next sentence does
    ("وأقيمت الاحتفالات الخميس"); the lede's arrests were made that day."""
    art = run("اعتقلت الشرطة التركية العشرات خلال الاحتفالات في مدينة إسطنبول.\n"
              "وأقيمت الاحتفالات الخميس في ظل إجراءات أمنية مشددة.")
    assert [(e.kind, e.date.isoformat()) for e in art.events] == [("arrest", "2018-06-07")]


def test_mines_laid_or_cleared_are_no_explosion():
    """"نزع الألغام", "مزروعة بالألغام": mines cleared or laid, none went off."""
    assert run("وستساعد فرنسا في نزع الألغام في مدينة الحديدة.").events == []
    assert run("الطرق المؤدية إلى ميناء الحديدة مزروعة بالألغام من قبل الميليشيات.").events == []
    ev, = run("قتل ثلاثة مدنيين بانفجار لغم أرضي في مديرية حيس.").events
    assert ev.kind == "explosion" and ev.fatalities == 3


def test_an_act_that_enters_a_week_takes_no_place():
    """"دخلت التظاهرات أسبوعها الثاني": the protests go on; no force entered anywhere."""
    art = run("دخلت التظاهرات في العراق الاثنين أسبوعها الثاني، في تحرك احتجاجي شهد عنفا أسفر "
              "عن قتلى وجرحى.")
    assert "territory_control" not in kinds(art)


def test_an_act_as_subject_takes_the_actor_after_it_as_its_target():
    """"استهدف الهجوم رجال الأمن": the attack is the subject, the security men its object;
    "الغارات مواقع الحوثيين": the Houthis hold the positions struck."""
    ev, = run("واستهدف الهجوم رجال الأمن في مدينة الرمادي.").events
    assert ev.actor1 is None and ev.actor2 == "Police Forces of Iraq"
    ev, = run("واستهدفت الغارات مواقع الحوثيين في مديرية حيس.").events
    assert ev.actor1 != "Houthis (Ansar Allah)" and ev.actor2 == "Houthis (Ansar Allah)"


@pytest.mark.parametrize("text, deaths", [
    # a pronoun suffix on the death word counts its dead: his death is one
    ("لقي القيادي الحوثي مصرعه مع عدد من عناصره بغارة جوية لمقاتلات التحالف جنوبي الحديدة.", 1),
    # a dual noun of the dead is two
    ("وقع هجوم دهس قرب مدينة جنين أسفر عن قتيلين وجرح آخرين.", 2),
    # two singular victims joined by و
    ("قتلت امرأة وطفلها في انفجار عبوة ناسفة في مدينة الموصل.", 2),
    # a count, its victim noun and a phrase of من naming whose they were, then the death verb
    ("قال المرصد إن ستة أشخاص من حلفاء النظام غير السوريين قتلوا في انفجار بمدينة الميادين.", 6),
])
def test_deaths_counted_by_the_words_themselves(text, deaths):
    ev, = run(text).events
    assert ev.fatalities == deaths


def test_forces_telling_of_their_own_capture_claim_it():
    """The army's spokesman ("المتحدث باسم الجيش") speaks as the army; a military source that
    confirms a capture whose agent the sentence leaves unnamed speaks of its own side's."""
    ev, = run("وأكد المتحدث باسم الجيش السوري أن الجيش سيطر على بلدة حزرما.").events
    assert ev.status == "claimed"
    ev, = run("ونقلت سانا عن مصدر عسكري أن وحدات الجيش تقدمت، مؤكدا السيطرة على بلدة حزرما.").events
    assert ev.status == "claimed"


def test_deaths_since_an_event_are_a_running_total():
    """"قتل 32 فلسطينيا منذ إعلان ترامب ...": a toll since a past event, not one event."""
    art = run("وقتل 32 فلسطينيا وأربعة إسرائيليين منذ إعلان ترامب نقل سفارة بلاده إلى القدس.")
    assert all(e.fatalities in (None, 0) for e in art.events + art.unplaced)


def test_the_known_number_of_victims_is_no_new_count():
    """"كانوا بين الضحايا الـ298": the article names a toll its reader knows (الـ + number),
    not the deaths of a new event."""
    art = run("قتل مدنيون في قصف على مدينة دونيتسك، علما بأن عددا منهم كانوا بين الضحايا الـ298.")
    assert all(e.fatalities != 298 for e in art.events + art.unplaced)


def test_what_an_actor_uses_is_its_method_not_an_act():
    """"ميليشيا الحوثي تستخدم زوارق انتحارية": a present-tense method, no explosion."""
    assert run('وقال المتحدث إن "ميليشيا الحوثي تستخدم زوارق انتحارية وتهدد الملاحة في البحر '
               'الأحمر في اليمن".').events == []


def test_a_person_of_a_people_is_no_army():
    """"أفادت وسائل إعلام بأن فلسطينيا دهس بسيارته جنودا": a Palestinian, an unidentified
    attacker, not a state's forces; "دهس فلسطيني" likewise, Palestine having no army in the
    lexicon; "غارة إسرائيلية" stays Israel's forces."""
    ev, = run("وأفادت وسائل إعلام بأن فلسطينيا دهس بسيارته مجموعة جنود قرب مدينة جنين.").events
    assert ev.actor1 == "Unidentified Armed Group (Palestine)"
    ev, = run("دهس فلسطيني بسيارته مجموعة جنود إسرائيليين قرب مدينة جنين.").events
    assert ev.actor1 == "Unidentified Armed Group (Palestine)"
    ev, = run("قتل ثلاثة فلسطينيين في غارة إسرائيلية على مدينة غزة.").events
    assert ev.actor1 == "Military Forces of Israel"


def test_no_actor_is_on_both_sides_of_a_merged_event():
    """One report names the police as the target, the next as the agent: merged, the police
    stay on one side only."""
    ev, = run("قتل شرطيان في هجوم على دورية للشرطة العراقية في مدينة الرمادي. وهاجمت الشرطة "
              "العراقية المسلحين في مدينة الرمادي.").events
    assert ev.actor1 != ev.actor2


def test_operations_during_which_a_soldier_died_did_not_kill_him():
    """"قتل جندي خلال عمليات للجيش التركي": killed during his army's operations, not by them;
    "تجمع متظاهرون" is a gathering, not a target held by protesters."""
    ev, = run("وقالت رئاسة الأركان التركية إن جنديا قتل خلال عمليات للجيش التركي في شمالي العراق.").events
    assert ev.actor1 != "Military Forces of Turkey" and ev.actor2 == "Military Forces of Turkey"
    ev, = run("وفي كربلاء، تجمع متظاهرون أمام مجلس المحافظة، حيث اندلعت مواجهات مع قوات الأمن "
              "العراقية.").events
    assert ev.actor2 is not None and not ev.actor2.startswith("Protesters")


@pytest.mark.parametrize("text", [
    # the future of the verb whose object is the act
    "وقال الوزير إن أنقرة وبغداد ستشنان هجوما مشتركا على المسلحين في مدينة سنجار.",
    # a guarantee wanted that something will not happen
    "قال لافروف إن موسكو تريد ضمانات بألا يقصف مسلحو المعارضة المناطق السكنية في مدينة دوما.",
    # an expectation
    "قالت الوحدات إن توقعات تركيا بسيطرة قواتها على مدينة عفرين غير واقعية.",
])
def test_acts_ahead_or_wanted_not_to_be_are_no_events(text):
    assert run(text).events == []


def test_a_name_of_abd_is_a_person_and_a_day_bound_is_not_the_story_day():
    """"عبد الحسن الجابري" is the official, not the village of 'Abd al Hasan; "أرجأ التصويت إلى
    السبت" does not date the lede's strikes."""
    from hadath.extract.geocode import geocode
    said = geocode("وفي مدينة الناصرية، قال معاون مدير صحة المحافظة عبد الحسن الجابري إن مواجهات "
                   "اندلعت الأحد.")
    assert "عبد الحسن" not in [m.mention for m in said]
    assert "عبد الحسن" in [m.mention for m in geocode("قصفت الطائرات قرية عبد الحسن.")]
    art = run("أرجأ مجلس الأمن التصويت على القرار إلى السبت.\n"
              "وتكثف القصف الجوي لقوات النظام على بلدة كفرنبل.")
    assert [e.date for e in art.events] == [PUB]


def test_a_country_after_a_role_noun_is_whose_it_is():
    """"شرطة تركيا" are Turkey's police (not its army by a bare country); "طائرات روسيا" are
    Russia's, though the trigger "قصفت طائرات" runs into them."""
    ev, = run("قالت الوكالة إن شرطة تركيا ألقت القبض على 14 شخصا من أعضاء تنظيم داعش في أنقرة.").events
    assert ev.actor1 == "Police Forces of Turkey"
    ev, = run("قصفت طائرات روسيا مدينة إدلب.").events
    assert ev.actor1 == "Military Forces of Russia"


def test_an_act_days_before_the_one_told_is_dated_so_and_a_hotel_denies_nothing():
    # "فندق" (hotel) is not "فند" (refuted): the earlier bombing stays reported, not denied;
    # "بعد ثلاثة أيام من" dates it three days before the day of the news
    art = run("قالت الشرطة إن سيارة مفخخة انفجرت بالقرب من مقر البرلمان في مقديشو. "
              "وجاء الانفجار بعد ثلاثة أيام من مقتل 14 شخصا في انفجار سيارة مفخخة بالقرب "
              "من فندق في مقديشو.")
    days = sorted((e.date, e.status) for e in art.events)
    assert days == [(PUB - dt.timedelta(days=3), "reported"), (PUB, "reported")]


def test_an_actor_inside_the_object_of_the_verb_is_its_target():
    # "منزلا" is the verb's object (indefinite accusative); the militants it shelters are the
    # target, as they are after an act that is the verb's subject ("الغارة استهدفت")
    for text in ("استهدفت طائرة منزلا يأوي مسلحين في بلدة أوباري جنوبي ليبيا.",
                 "قالت مصادر إن الغارة استهدفت منزلا يأوي مسلحين في بلدة أوباري جنوبي ليبيا."):
        (ev,) = run(text).events
        assert ev.actor2 == "Unidentified Armed Group (Libya)" and ev.actor1 != ev.actor2


def test_the_subject_between_a_death_verb_and_its_count():
    # verb, subject, count: "قتلت قوات الأمن 3 مسلحين"; a count after a second verb is not it
    (ev,) = run("قتلت قوات الأمن 3 مسلحين في بنغازي.").events
    assert (ev.actor1, ev.fatalities) == ("Police Forces of Libya", 3)
    (ev,) = run("قتلت قوات الأمن وأصابت 12 شخصا في بنغازي.").events
    assert ev.fatalities is None


def test_fighting_over_past_weeks_is_context_and_a_capture_answered_is_known():
    # acts told over weeks or months have no day of their own; the capture of the same
    # sentence, in its own clause, stays
    art = run("وأعلن الجيش السوري السيطرة على مخيم اليرموك، والذي دارت به معارك عنيفة بين "
              "الجيش وتنظيم داعش خلال الأسابيع الماضية.")
    assert kinds(art) == ["territory_control"]
    # what a strike answers ("ردا على دخول قوات ... إلى عفرين") is a known act of any kind
    art = run("قصفت المدفعية التركية مواقع في عفرين ردا على دخول قوات موالية للنظام إلى المدينة.")
    assert kinds(art) == ["shelling"]


def test_the_town_of_the_hospital_the_victims_reached_is_not_where_they_were_hit():
    art = run("وصل 5 قتلى و3 إصابات إلى مستشفى شهداء الأقصى بدير البلح.")
    assert art.events == []  # no place of the act itself: not put on the map at the hospital
    (ev,) = run("قصفت طائرات حربية مستشفى في مدينة إدلب.").events  # a hospital hit is the place
    assert ev.place.name == "Idlib"


def test_an_act_dated_ahead_is_a_plan():
    # (an event dated December when the news is of June was the old reading)
    art = run("وقتل 5 أشخاص في انفجار في مدينة درنة. وتجري انتخابات في مدينة سرت في كانون "
              "الأول/ديسمبر 2018 بعد اشتباكات قتل فيها 5 أشخاص.")
    assert [(e.kind, e.date) for e in art.events] == [("explosion", PUB)]


def test_deaths_past_a_nisba_a_day_and_never_a_count_of_days():
    # "جنديين تركيين قتلا": two, past the adjective of nationality
    (ev,) = run("قالت القوات المسلحة التركية إن جنديين تركيين قتلا في انفجار عبوة ناسفة في "
                "منطقة عفرين.").events
    assert ev.fatalities == 2
    # "قتل، الأحد، 3 من المحتجين": a day and its commas between the verb and its count
    (ev,) = run("قتل، الأحد، 3 من المحتجين العراقيين في اشتباكات مع قوات الأمن في بلدة "
                "السماوة.").events
    assert ev.fatalities == 3
    # the three of "بعد ثلاثة أيام من" count days, not the dead
    art = run("جاء الانفجار بعد ثلاثة أيام من انفجار سيارة مفخخة في مقديشو.")
    assert [e.fatalities for e in art.events] == [None]


def test_a_ministry_announcing_deaths_of_an_unknown_hand_reports_them():
    # a health ministry counting the dead of an explosion no one is named for takes no side;
    # an army announcing an act whose agent the sentence leaves unnamed speaks of its own
    (ev,) = run("أعلنت وزارة الصحة في غزة مقتل خمسة فلسطينيين في انفجار داخل منزل في دير "
                "البلح.").events
    assert ev.status == "reported"
    (ev,) = run("أعلن الجيش اللبناني مقتل ثلاثة مسلحين في اشتباك في بلدة عرسال.").events
    assert ev.status == "claimed"


def test_a_side_telling_of_its_own_losses_claims_the_event():
    # the army whose soldiers were hit is a party to the act, as the one that acted is
    (ev,) = run("قال الجيش التركي إن جنديا قتل في هجوم شنه مسلحو حزب العمال الكردستاني على "
                "قاعدة في شمال العراق.").events
    assert (ev.actor2, ev.status) == ("Military Forces of Turkey", "claimed")


def test_the_command_of_a_side_speaks_as_that_side():
    (ev,) = run("أعلنت القيادة العامة للجيش السوري السيطرة على مخيم اليرموك جنوب دمشق.").events
    assert (ev.actor1, ev.status) == ("Military Forces of Syria", "claimed")


def test_a_side_confirming_its_own_withdrawal_admits_it():
    art = run("وأكدت القيادة العامة للجيش السوري في بيان انسحاب وحداتها من مدينة حماة.")
    (ev,) = [e for e in art.events if e.kind == "withdrawal"]
    assert (ev.actor1, ev.status) == ("Military Forces of Syria", "confirmed")


@pytest.mark.parametrize("text", [
    "قال وزير الدولة الإماراتي إن السيطرة على مدينة الحديدة بالكامل مسألة وقت.",  # pending
    "انقطعت خدمة الإنترنت مع سريان شائعات بوصول التظاهرات إلى بغداد.",  # a rumour
    "قال المتحدث إن الصماد مسؤول عن قتل آلاف المواطنين في اليمن.",  # a charge
    "ودأبت قوات الجيش التركي على استهداف مواقع حزب العمال الكردستاني جنوبي تركيا.",  # a habit
    "وتؤكد عدة حركات تشادية مسلحة تحضيرها هجمات في نجامينا.",  # preparing
])
def test_acts_said_to_come_rumoured_or_charged_are_not_news(text):
    assert run(text).events == []


def test_a_speaker_named_twice_is_no_agent_and_a_side_announcing_enemy_dead_killed_them():
    # "أدانت حركة المقاومة الإسلامية حماس": the condemner, named twice, did not act
    (ev,) = run("بدورها أدانت حركة المقاومة الإسلامية حماس استهداف موكب الحمد الله في "
                "قطاع غزة.").events
    assert ev.actor1 != "Hamas"
    # a fighting side announcing the dead of the other side tells of its own act
    (ev,) = run("أعلنت قوات الدفاع الشعبي، الجناح العسكري لحزب العمال الكردستاني، السبت، مقتل "
                "12 جنديا تركيا في إقليم كردستان، شمال العراق.").events
    assert (ev.actor1, ev.actor2) == ("PKK: Kurdistan Workers' Party", "Military Forces of Turkey")
    # an army of no named state announcing deaths may be telling of its own dead
    (ev,) = run("أعلن الجيش مقتل ضابط وجندي في هجوم في مدينة رفح.").events
    assert ev.actor1 is None or "Unknown" not in ev.actor1


def test_deaths_of_the_bombardment_told_before_are_that_bombardment():
    # "وقتل جراء القصف أيضا": past the death word, "القصف" is the strike the article told
    art = run("قتل 16 طفلا في غارة جوية على قرية كفر بطيخ في محافظة إدلب. وقتل جراء القصف "
              "أيضا 4 مدنيين آخرين في القرية.")
    assert len(art.events) == 1


def test_a_definite_feature_word_takes_no_name_after_it():
    # "دخل المسجد وحاول": "المسجد" is definite; "وحاول التحدث" is no mosque's name, so
    # nothing is placed by it and entering a building is no capture
    art = run("طعن مهاجم عددا من المصلين في مدينة كسلا. وروى مواطنون أن المهاجم دخل المسجد "
              "وحاول التحدث الى المصلين.")
    assert "territory_control" not in kinds(art)
    assert all("وحاول" not in (e.place.text or "") for e in art.events)


def test_a_city_after_street_names_the_street_and_closing_a_street_is_a_closure():
    (ev,) = run("وقامت الشرطة التركية بإغلاق شارع طهران، حيث يقع مقر السفارة في أنقرة.").events
    assert (ev.kind, ev.place.name) == ("road_closure", "Ankara")
    (ev,) = run("انفجرت سيارة مفخخة في شارع فلسطين في بغداد.").events
    assert (ev.place.name, ev.actor1) == ("Baghdad", None)


def test_skirmishes_are_clashes():
    (ev,) = run("اندلعت مناوشات بين الجيش التركي وعناصر حزب العمال الكردستاني في مدينة "
                "أربيل.").events
    assert ev.kind == "armed_clash"


def test_a_count_over_days_a_grievance_place_a_purpose_and_since_then():
    # "خلال خمسة أيام": a count over days, written as a word, is no one strike's deaths
    (ev,) = run("وتكثف القصف الجوي على منطقة الغوطة الشرقية، موقعا أكثر من 400 قتيل خلال "
                "خمسة أيام.").events
    assert ev.fatalities is None
    # the place of the grievance ("على خلفية الحرب في اليمن") is not the protest's
    (ev,) = run("ورافقت الزيارة احتجاجات في لندن ضد ولي العهد السعودي على خلفية ضلوع بلاده في "
                "الحرب في اليمن.").events
    assert ev.place.name == "London"
    # "لقتال المتمردين": to fight, a purpose; "تعرضت البلدة للقصف": suffered, an event
    assert run("وبدأ النزاع في اليمن بتدخل عسكري تقوده السعودية لقتال المتمردين "
               "الحوثيين.").events == []
    assert kinds(run("تعرضت بلدة كفرنبل للقصف أمس.")) == ["shelling"]
    # "ومنذ ذلك الحين قتل عشرات": a running total since then, no event
    assert run("ومنذ ذلك الحين قتل عشرات الفلسطينيين بنيران الجيش الإسرائيلي في غزة.").events == []


@pytest.mark.parametrize("text", [
    "وهناك مخاوف من هجوم حكومي على مدينة إدلب.",  # fears
    "وتسعى ميليشيات الحوثي إلى نقل المعركة إلى وسط مدينة الحديدة.",  # aims
    "ويجتمع مجلس الأمن الدولي الأربعاء لبحث الهجمات الفلسطينية بالصواريخ على إسرائيل.",  # to discuss
    'وقال السفير "من أبرز الإنجازات إبرام الاتفاقية الدولية للقضاء على التمييز" في جنيف.',
])
def test_feared_sought_discussed_acts_and_a_treaty_of_no_armed_side_are_not_news(text):
    assert run(text).events == []


def test_an_adjective_after_a_feature_word_and_a_countryside_name_no_referent():
    # "حي سكني": an adjective of the corpus after a feature word names no place
    art = run("وأدت الغارات إلى تدمير حي سكني بالكامل.")
    assert all("سكني" not in (e.place.text or "") for e in art.events + art.unplaced
               if e.place)
    # a town named as its countryside ("في ريف حلب") is no town a later "البلدة" refers to
    art = run("قصفت المدفعية مواقع في ريف حلب الجنوبي. وشنت مقاتلات حربية 6 غارات جوية على "
              "البلدة صباح اليوم.")
    assert not any(e.place.text == "البلدة" and (e.place.precision or 0) >= 3
                   for e in art.events)


def test_a_saying_verb_with_its_object_pronoun_names_its_source():
    # "بحسب ما قالته وزارة الدفاع الروسية": Russia, of the Syrian government's bloc, claims it
    (ev,) = run("سيطرت قوات الحكومة السورية على بلدة دوما، بحسب ما قالته وزارة الدفاع "
                "الروسية.").events
    assert ev.status == "claimed"


def test_the_act_someone_later_died_of_came_before_the_death():
    # the shooting the journalist died of was the week before last, not on the day he died
    art = run("شارك آلاف الفلسطينيين الخميس في تشييع الصحافي أحمد أبو حسين، الذي قضى الأربعاء "
              "متأثرا بجراح أصيب بها برصاص الجيش الإسرائيلي في شمال قطاع غزة الأسبوع قبل الماضي.")
    assert "attack" not in kinds(art)
    # wounds from an act of the day it is told stay news
    art = run("توفي شاب متأثرا بجراح أصيب بها برصاص الجيش الإسرائيلي صباح اليوم في مدينة نابلس.")
    assert kinds(art) == ["attack"]


def test_a_capture_after_its_owner_pronoun_is_known_and_one_the_future_verb_has_is_not_yet():
    # "بعد سيطرتها على المطار": the capture told before; the clashes "at the airport" go on
    art = run("بعد سيطرتها على مطار الحديدة، تتأهب القوات الموالية للحكومة اليمنية الخميس للتقدم "
              "نحو ميناء المدينة، في الوقت الذي تدور فيه اشتباكات متقطعة على الأطراف الشمالية "
              "للمطار.")
    assert kinds(art) == ["armed_clash"] and art.events[0].place.name == "Al Ḩudaydah"
    # "وستمثل السيطرة على مدينة الحديدة": the capture the future verb speaks of
    assert run("وستمثل السيطرة على مدينة الحديدة أكبر انتصار عسكري لقوات الحكومة.").events == []


@pytest.mark.parametrize("text", [
    # كان ... قد with a long subject between them: acts told as past
    "وكانت هجمات نفذها متشددون ضد قواعد للجيش في مالي، قد أدت إلى مقتل أحد أفراد قوات حفظ السلام مطلع الأسبوع.",
    # أن + imperfective: what may come
    "وهناك مخاوف بأن يتسبب هجوم حكومي على مدينة إدلب في نزوح مئات الآلاف.",
    # persuading to withdraw, approaching control: not yet
    "بعد مؤشرات على فشل مساعي المبعوث الدولي في إقناع الحوثيين بالانسحاب من مدينة الحديدة.",
    "وتزامن ذلك مع اقتراب الجيش الليبي من بسط سيطرته على مدينة درنة.",
])
def test_past_perfect_subjunctive_persuading_and_approaching_are_not_news(text):
    assert run(text).events == []


def test_captures_so_far_and_a_capture_opening_a_sentence_as_its_circumstance_are_known():
    art = run("وتتواصل الاشتباكات عند أطراف منطقة عفرين، حيث تمكنت القوات التركية من السيطرة حتى "
              "الآن على 27 قرية وبلدة.")
    assert "territory_control" not in kinds(art)
    art = run("وباستعادة القلمون الشرقي، لم يتبق للمعارضة سوى جيب واحد محاصر شمالي مدينة حمص.")
    assert art.events == []


def test_an_unqualified_army_speaking_is_the_army_the_article_named():
    art = run('أعلن الجيش المصري، الأحد، عن مقتل خمسة من "العناصر التكفيرية" خلال عملية '
              '"سيناء 2018" العسكرية.\nوأعلن الجيش مقتل "ضابط وجندي وإصابة ضابط صف وجندي."')
    sources = {c.source for e in art.events + art.unplaced for c in e.claims}
    assert "Military Forces of Egypt" in sources and not any("Unknown" in s for s in sources)


def test_who_carries_out_an_act_with_qama_bi_is_its_agent_and_haftar_led_forces_are_the_lna():
    (ev,) = run("وقامت الشرطة التركية بإغلاق شارع طهران، حيث يقع مقر السفارة في أنقرة.").events
    assert ev.actor1 == "Police Forces of Turkey"
    (ev,) = run("وتشهد مدينة درنة قصفا عنيفا تقوم به القوات المسلحة بقيادة حفتر.").events
    assert ev.actor1 == "LNA: Libyan National Army"


def test_the_officials_in_charge_of_a_place_charge_no_one():
    # "بحسب أحد المسؤولين عن المسجد وخطفت": officials of the mosque; the abduction stays
    art = run("واقتحمت مجموعة من الطلاب عيادة في مدينة إسلام أباد بحسب أحد المسؤولين عن المسجد "
              "وخطفت ثلاث نساء.")
    assert "abduction" in kinds(art)


def test_the_place_where_an_acts_echo_was_heard_is_not_its_place():
    (ev,) = run("شنت طائرات حربية غارات على بلدة خان شيخون سمع صداها في عموم ريفي إدلب وحلب.").events
    assert ev.kind == "air_strike" and ev.place.name == "Khan Shaykhun"
    for text in ("انفجرت سيارة مفخخة قرب مسجد وسمع دويها في أرجاء مدينة حلب.",
                 "قصفت طائرات حربية البلدة بعشرات الصواريخ سمع صداها في عموم ريف إدلب."):
        art = run(text)  # no place of its own: not put on the map where it was heard
        assert art.events == [] and [e.place for e in art.unplaced] == [None]
    (ev,) = run("قصفت طائرات حربية مدينة حلب.").events  # a place with no echo before it stays
    assert ev.place.name == "Aleppo"


def test_a_village_whose_only_namesake_lies_far_from_the_town_named_with_it_is_of_that_town():
    # every الشجن of the gazetteer lies 140 km or more from الجحبة: an unknown village of it
    (ev,) = run("شنت طائرات التحالف غارات على قرية الشجن ببلدة الجحبا في مديرية الدريهمي.").events
    assert ev.place.name == "Al Jahbah" and ev.place.precision == 2
    # a village that lies near the town named with it keeps its own point
    (ev,) = run("قصفت القوات الحكومية قرية الهبيط بريف إدلب الجنوبي.").events
    assert ev.place.precision == 1


def test_a_capital_after_a_verb_of_saying_or_a_noun_of_its_policy_is_its_government():
    (ev,) = run("وفشلت محاولة طهران في كركوك بعد اشتباكات عنيفة.").events
    assert ev.place.name == "Kirkuk"  # Tehran's attempt: Iran's, not a place of the clashes
    art = run("وتصاعدت التكهنات باحتمال إخفاء دمشق وموسكو أدلة الهجوم على مدينة دوما.")
    assert {e.place.name for e in art.events + art.background} <= {"Douma"}
    (ev,) = run("وقالت أنقرة إن طائراتها قصفت مواقع في مدينة عفرين.").events
    assert ev.actor1 == "Government of Turkey"  # the speaker whose planes struck
    (ev,) = run("قصفت طائرات حربية دمشق.").events  # the object of an act is a place
    assert ev.place.name == "Damascus"


def test_the_side_a_spokesman_speaks_for_is_no_agent_of_what_he_tells():
    (ev,) = run("وقال المتحدث باسم الشرطة إن ثلاثة أجانب خطفوا في حي قريب من مطار كابول.").events
    assert ev.kind == "abduction" and ev.actor1 is None
    (ev,) = run("وقال المتحدث باسم الجيش إن قواته سيطرت على بلدة كفرنبل.").events
    assert ev.actor1 == "Military Forces of Syria"  # its own forces: the side it speaks for


@pytest.mark.parametrize("text", [
    "وقال إن الجيش قد يهاجم مدينة درنة.",                             # قد + an imperfective
    "وأضاف أن الحوثيين قد يشنون هجمات على مدينة الحديدة.",             # ... carrying the act
    "ورأى أن الجيش قد ينفذ غارات على مدينة إدلب.",
])
def test_what_may_happen_is_not_news(text):
    assert run(text).events == []


def test_what_has_happened_after_qad_is_news():
    for text in ("وقالت المصادر إن الطائرات قد قصفت مواقع في مدينة إدلب.",
                 "وقد تعرضت بلدة كفرنبل لقصف مدفعي."):  # a perfective, and a verb of its own
        assert len(run(text).events) == 1


def test_a_similar_act_told_after_another_word_of_its_kind_is_background():
    art = run("وقال المسؤول إن الغارات على المنطقة ليست جديدة، إذ نفذت الطائرات غارة مماثلة على "
              "بلدة كفرنبل.")
    assert art.events == [] and [e.kind for e in art.background] == ["air_strike"]


def test_a_nationality_after_a_weapons_model_is_the_weapons():
    (ev,) = run('وقال المركز إن طائرات "أف 16" عراقية نفذت ضربة جوية في منطقة هجين.').events
    assert ev.actor1 == "Military Forces of Iraq"  # not an unnamed Iraqi armed group


def test_an_act_told_as_separate_is_not_merged_with_the_one_before():
    art = run("قتل خمسة أشخاص في انفجار عبوة ناسفة في مدينة حلب. وفي حادث منفصل في مدينة حلب "
              "قتل ثلاثة أشخاص في انفجار قنبلة.")
    assert sorted(e.fatalities for e in art.events) == [3, 5]


def test_who_was_subjected_to_an_act_suffered_it():
    for text in ("وقالت المصادر إن القوات الأميركية تعرضت لهجوم بقذائف المورتر قرب مدينة كسمايو.",
                 "تعرضت دورية للجيش العراقي لهجوم مسلح في قضاء الطارمية."):
        (ev,) = run(text).events
        assert ev.actor1 is None and ev.actor2 is not None and "Forces of" in ev.actor2


def test_out_of_control_is_an_idiom_and_a_capture_after_an_is_not():
    assert run("ناشد الأمين العام الدول الخمس تجنب خروج الوضع في سوريا عن السيطرة.").events == []
    (ev,) = run("وأسفر الهجوم عن سيطرة التنظيم على المنطقة في ريف دير الزور.").events
    assert ev.kind == "territory_control"


def test_a_landslide_that_killed_and_destroyed_is_no_attack():
    art = run("وأدت الانهيارات الصخرية والانزلاقات في التربة إلى مقتل 20 شخصا ودمرت منازل قرية في "
              "جبل مرة في دارفور.")
    assert art.events == [] and art.unplaced == []
    (ev,) = run("دمرت غارة جوية منازل في قرية الهبيط وأدت إلى حريق.").events  # a strike's fire
    assert ev.kind == "air_strike"


def test_acts_told_from_a_lawsuit_or_court_papers_are_the_courts():
    for text in ("وتمكن من الوصول إلى تونس لكن السلطات اعتقلته قبل أن ينفذ خططه، وفقا للدعوى.",
                 "وكان يشاهد شريطا يظهر قطع رؤوس أشخاص خطفوا في ليبيا، وفقا لأوراق المحكمة."):
        art = run(text)
        assert art.events == [] and art.unplaced == []
    # "بدعوى" is "under the pretext of", no lawsuit
    art = run("وقالت الشرطة إن مسلحين اعتدوا على السكان بالضرب في مدينة نيالا بدعوى تأمين المنطقة.")
    assert [e.kind for e in art.events + art.unplaced] == ["attack"]


def test_the_arrest_of_a_murder_suspect_is_a_crime_not_a_political_arrest():
    art = run("اعتقلت السلطات في سوريا المشتبه به بقتل العاملة الفلبينية في الكويت.")
    assert art.events == [] and art.unplaced == []
    (ev,) = run("اعتقلت قوات الأمن 12 عنصرا من تنظيم داعش في مدينة الموصل.").events
    assert ev.kind == "arrest"


def test_a_deal_sought_is_no_deal_and_one_reached_or_announced_is():
    assert run("ويحاول المبعوث التوصل إلى هدنة بين الحوثيين والقوات الحكومية في مدينة "
               "الحديدة.").events == []
    for text in ("وتم التوصل إلى هدنة بين الحوثيين والقوات الحكومية في مدينة الحديدة.",
                 "وأعلن المبعوث التوصل إلى هدنة بين الحوثيين والقوات الحكومية في مدينة الحديدة."):
        assert [e.kind for e in run(text).events] == ["agreement"]


def test_a_crowd_gathered_to_celebrate_or_pray_is_no_protest():
    assert run("تجمع عشرات الآلاف من الحجاج السبت في كنيسة القيامة بالقدس للاحتفال بالعيد.").events == []
    (ev,) = run("تجمع مئات المتظاهرين في ساحة التحرير في بغداد احتجاجا على الفساد.").events
    assert ev.kind == "protest"


def test_an_act_whose_announcement_dates_another_is_known():
    art = run("وشهدت العاصمة صنعاء انتشارا واسعا لمسلحي الحوثي عقب إعلان مقتل الصماد.")
    assert art.events == [] and art.unplaced == []
