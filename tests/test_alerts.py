"""Alerts: rules in TOML, delivered to stdout, a JSON Lines file, a local webhook and a local
SMTP server (aiosmtpd), each once, with updates when a later report changes an alerted event.
The articles are written for these tests."""

from __future__ import annotations

import email
import io
import json
import socket

import pytest
from typer.testing import CliRunner

from hadath.alerts import check, load_rules
from hadath.cli import app
from hadath.errors import AlertError
from hadath.ingest import ingest
from hadath.store import Store

from .feeds import Site, serve

OLD = "قصفت قوات النظام السوري بلدة كفرتخاريم غرب إدلب صباح اليوم، ما أدى إلى مقتل 3 مدنيين، بحسب ناشطين."
STRIKE = ("قصفت قوات النظام السوري بلدة كفرنبل في ريف إدلب الجنوبي صباح اليوم، ما أدى إلى مقتل 7 "
          "مدنيين، بحسب المرصد السوري لحقوق الإنسان.")
STRIKE_AGAIN = ("ارتفع عدد ضحايا القصف المدفعي لقوات النظام السوري على بلدة كفرنبل جنوب إدلب اليوم، "
                "إذ قتل 9 مدنيين بينهم طفلان، وفق الدفاع المدني.")
TAKEN = ("سيطرت هيئة تحرير الشام على مدينة سراقب شرق إدلب اليوم بعد معارك مع قوات النظام، بحسب ما "
         "أعلنت الهيئة في بيان.")
CONFIRMED = ("أكد المرصد السوري لحقوق الإنسان أن طائرات حربية روسية شنت غارة جوية على مدينة أريحا جنوب "
             "إدلب اليوم، ما أسفر عن مقتل 4 مدنيين.")
DENIED = ("نفى الجيش السوري في بيان أن تكون طائرات روسية قد قصفت مدينة أريحا جنوب إدلب اليوم، مؤكدا "
          "أن الأنباء عن الغارة عارية عن الصحة.")
FIRST_TOLL = "قتل 5 مدنيين في غارة جوية على بلدة سرمين شرق إدلب صباح اليوم، بحسب مصادر محلية."
SECOND_TOLL = ("قتل 20 مدنيا في غارة جوية على بلدة سرمين شرق إدلب صباح اليوم، بحسب مصادر محلية، في "
               "حصيلة جديدة.")


def _add(store: Store, tmp_path, name: str, *texts: tuple[str, str]) -> None:
    """Ingest articles: (outlet, text) each, published 2024-12-03."""
    f = tmp_path / f"{name}.jsonl"
    with f.open("w", encoding="utf-8") as fh:
        for k, (outlet, text) in enumerate(texts):
            fh.write(json.dumps({"id": f"{name}-{k}", "text": text, "date": "2024-12-03",
                                 "source": outlet, "url": f"https://news.example/{name}/{k}"},
                                ensure_ascii=False) + "\n")
    rep = ingest([str(f)], store)
    assert rep.new == len(texts), rep.problems


@pytest.fixture
def webhook():
    site = Site()
    server = serve(site)
    yield site
    server.shutdown()
    server.server_close()


@pytest.fixture
def smtp():
    """A local SMTP server (aiosmtpd) that keeps the messages it receives."""
    from aiosmtpd.controller import Controller

    class Keep:
        def __init__(self) -> None:
            self.messages: list[email.message.Message] = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            self.messages.append(email.message_from_bytes(envelope.content))
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = Keep()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.port = port
    yield handler
    controller.stop()


def _rules(tmp_path, webhook: Site, smtp, rules: str, retries: int = 4) -> str:
    path = tmp_path / "alerts.toml"
    path.write_text(f'''
base_url = "http://127.0.0.1:8000"

[channels.screen]
type = "stdout"

[channels.log]
type = "jsonl"
path = "{tmp_path / 'alerts.jsonl'}"

[channels.desk]
type = "webhook"
url = "{webhook.url('/hook')}"
retries = {retries}
retry_wait = 0.01
headers = {{ Authorization = "Bearer test" }}

[channels.mail]
type = "email"
host = "127.0.0.1"
port = {smtp.port}
from = "hadath@localhost"
to = ["desk@localhost"]
retry_wait = 0.01
{rules}
''', encoding="utf-8")
    return str(path)


EVENT_RULE = '''
[[rule]]
name = "deadly shelling in Idlib"
on = "event"
kind = ["shelling", "air_strike"]
near = [35.93, 36.63]
km = 60
min_fatalities = 3
actor = "Syria"
'''


def test_alerts_sent_once_to_every_channel_with_updates_on_merges(tmp_path, webhook, smtp, new_db):
    store = Store(new_db("alerts"))
    _add(store, tmp_path, "before", ("وكالة أ", OLD))  # there before the rule: no alert
    rules = load_rules(_rules(tmp_path, webhook, smtp, EVENT_RULE))
    out = io.StringIO()
    assert check(store, rules, out=out).sent == 0
    _add(store, tmp_path, "strike", ("وكالة أ", STRIKE))
    rep = check(store, rules, out=out)
    assert rep.sent == 4 and rep.updates == 0 and rep.failed == 0
    assert len(webhook.posts) == 1 and len(smtp.messages) == 1
    path, headers, body = webhook.posts[0]
    alert = json.loads(body)
    assert path == "/hook" and headers["Authorization"] == "Bearer test"
    assert alert["alert"] == "new" and alert["rule"] == "deadly shelling in Idlib"
    ev = alert["event"]
    assert ev["kind"] == "shelling" and ev["fatalities"] == 7 and ev["place_name"] == "Kafranbel"
    assert ev["url"] == f"http://127.0.0.1:8000/event/{ev['id']}"
    assert any("كفرنبل" in s for s in alert["sentences"])  # the sentence it was read from
    assert alert["sources"][0]["source"].startswith("SOHR")
    assert "كفرنبل" in out.getvalue() and ev["url"] in out.getvalue()
    mail = smtp.messages[0]
    assert "shelling" in mail["Subject"] and mail["To"] == "desk@localhost"
    text = next(p for p in mail.walk() if p.get_content_type() == "text/plain").get_payload(decode=True).decode()
    assert "كفرنبل" in text
    lines = (tmp_path / "alerts.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["subject"] == f"event:{ev['id']}"

    # checked again: nothing new, nothing sent twice
    assert check(store, rules, out=out).sent == 0
    assert len(webhook.posts) == 1 and len(smtp.messages) == 1

    # a second outlet's report merges into the event: an update, not a new alert
    _add(store, tmp_path, "again", ("وكالة ب", STRIKE_AGAIN))
    rep = check(store, rules, out=out)
    assert rep.sent == 4 and rep.updates == 4
    update = json.loads(webhook.posts[1][2])
    assert update["alert"] == "update" and update["event"]["id"] == ev["id"]
    assert update["changes"]["n_reports"] == {"from": 1, "to": 2}
    assert update["changes"]["fatalities_high"] == {"from": 7, "to": 9}
    assert smtp.messages[1]["Subject"].startswith("[hadath] update:")
    assert len((tmp_path / "alerts.jsonl").read_text(encoding="utf-8").splitlines()) == 2
    assert check(store, rules, out=out).sent == 0 and len(webhook.posts) == 2


def test_alerts_webhook_retries_and_a_failed_channel_is_tried_again(tmp_path, webhook, smtp):
    store = Store(tmp_path / "a.db")
    rules = load_rules(_rules(tmp_path, webhook, smtp, EVENT_RULE.replace('on = "event"', 'on = "event"\nchannels = ["desk"]'),
                              retries=2))
    check(store, rules)
    webhook.post_status = [500, 503]  # two failures, then the third try is answered
    _add(store, tmp_path, "strike", ("وكالة أ", STRIKE))
    rep = check(store, rules)
    assert rep.sent == 1 and rep.failed == 0 and len(webhook.posts) == 3
    assert len(smtp.messages) == 0  # the rule names its channel
    webhook.post_status = [500] * 3  # down for all its retries
    _add(store, tmp_path, "again", ("وكالة ب", STRIKE_AGAIN))
    rep = check(store, rules)
    assert rep.sent == 0 and rep.failed == 1 and "HTTP 500" in rep.errors[0]
    rep = check(store, rules)  # nothing new in the store: the failed update is sent now
    assert rep.sent == 1 and rep.updates == 1
    assert json.loads(webhook.posts[-1][2])["alert"] == "update"
    assert check(store, rules).sent == 0


def test_alerts_on_control_contested_and_self_contradiction(tmp_path, webhook, smtp, new_db):
    store = Store(new_db("alerts"))
    rules = load_rules(_rules(tmp_path, webhook, smtp, '''
[[rule]]
name = "Saraqib changes hands"
on = "control"
place = "سراقب"
channels = ["log"]

[[rule]]
name = "contested in Idlib"
on = "contested"
place = "Idlib"
channels = ["log"]

[[rule]]
name = "outlets changing their story"
on = "self_contradiction"
channels = ["log"]
'''))
    check(store, rules)
    _add(store, tmp_path, "day", ("وكالة أ", TAKEN), ("وكالة أ", CONFIRMED), ("وكالة ب", DENIED),
         ("وكالة ج", FIRST_TOLL))
    _add(store, tmp_path, "later", ("وكالة ج", SECOND_TOLL))
    check(store, rules)
    alerts = [json.loads(line) for line in (tmp_path / "alerts.jsonl").read_text(encoding="utf-8").splitlines()]
    by_rule = {}
    for a in alerts:
        by_rule.setdefault(a["rule"], []).append(a)
    control = by_rule["Saraqib changes hands"]
    assert len(control) == 1 and control[0]["control"]["holder"] == "Hayat Tahrir al-Sham"
    assert control[0]["control"]["place"] == "Saraqib" and "سراقب" in control[0]["sentences"][0]
    contested = {a["event"]["place_name"]: a for a in by_rule["contested in Idlib"]}
    assert "confirmed and denied" in contested["Ariha"]["contested"]["contradictions"]
    sides = {s["label"] for s in contested["Ariha"]["contested"]["sides"]}
    assert sides == {"asserts", "denies"}
    selfc = by_rule["outlets changing their story"]
    assert [a["self_contradiction"]["source"] for a in selfc] == ["وكالة ج"]
    assert selfc[0]["self_contradiction"]["how"] == "fatalities 5 then 20"
    n = len(alerts)
    check(store, rules)
    assert len((tmp_path / "alerts.jsonl").read_text(encoding="utf-8").splitlines()) == n  # once


def test_alerts_rules_file_errors_and_cli(tmp_path, webhook, smtp):
    bad = tmp_path / "bad.toml"
    for text, says in (("[[rule]]\nname = 'x'\nkind = 'bombing'\n", "kind 'bombing'"),
                       ("[[rule]]\nname = 'x'\nplaec = 'Aleppo'\n", "unknown field 'plaec'"),
                       ("[[rule]]\nchannels = ['nowhere']\n", "no channel named 'nowhere'"),
                       ("[channels.x]\ntype = 'pigeon'\n[[rule]]\n", "needs a type"),
                       ("rule = [\n", "not valid TOML")):
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(AlertError, match=says):
            load_rules(bad)
    db = str(tmp_path / "a.db")
    store = Store(db)
    path = _rules(tmp_path, webhook, smtp, EVENT_RULE.replace('on = "event"', 'on = "event"\nchannels = ["screen"]'))
    runner = CliRunner()
    res = runner.invoke(app, ["alerts", path, "--check"])
    assert res.exit_code == 0 and "1 rules" in res.output and "desk (webhook)" in res.output
    assert runner.invoke(app, ["alerts", path, "--db", db]).exit_code == 0
    _add(store, tmp_path, "strike", ("وكالة أ", STRIKE))
    res = runner.invoke(app, ["alerts", path, "--db", db])
    assert res.exit_code == 0, res.output
    assert "[deadly shelling in Idlib]" in res.output and "1 alerts sent" in res.output
    res = runner.invoke(app, ["alerts", "--sent", "--db", db])
    assert "deadly shelling in Idlib · screen · event:" in res.output
    bad.write_text("[[rule]]\nkind = 'bombing'\n", encoding="utf-8")
    res = runner.invoke(app, ["alerts", str(bad), "--db", db])
    assert res.exit_code == 18 and "[H080]" in res.output


def test_watch_checks_alert_rules_after_each_round(tmp_path, webhook, smtp):
    import datetime as dt

    from .feeds import Route, page, rss

    db = str(tmp_path / "w.db")
    path = _rules(tmp_path, webhook, smtp, EVENT_RULE.replace('on = "event"', 'on = "event"\nchannels = ["desk"]'))
    day = dt.date(2024, 12, 3)
    webhook.routes["/feed.xml"] = Route(rss("وكالة", []), content_type="application/rss+xml")
    runner = CliRunner()
    args = ["watch", webhook.url("/feed.xml"), "--once", "--db", db, "--alerts", path]
    assert runner.invoke(app, args).exit_code == 0  # the rule starts from an empty store
    webhook.routes["/s.html"] = Route(page("قصف كفرنبل", STRIKE, day))
    webhook.routes["/feed.xml"] = Route(rss("وكالة", [{"title": "قصف كفرنبل", "link": webhook.url("/s.html"),
                                                       "date": day}]), content_type="application/rss+xml")
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "1 alerts sent" in res.output and len(webhook.posts) == 1
    assert json.loads(webhook.posts[0][2])["event"]["place_name"] == "Kafranbel"


def test_the_readmes_example_rules_file_loads(tmp_path):
    import re

    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(.+?)\n```", readme, re.S)[1]
    path = tmp_path / "alerts.toml"
    path.write_text(example, encoding="utf-8")
    rules = load_rules(path)
    assert [r.on for r in rules.rules] == ["event", "control", "contested", "self_contradiction"]
    assert {c.type for c in rules.channels.values()} == {"stdout", "jsonl", "webhook", "email"}
    assert rules.rules[0].near == (35.93, 36.63) and rules.rules[0].channels == ["desk", "mail"]
