"""Extraction gives, article by article, what tests/data/extract_snapshot.json recorded.

A speed change must leave it unchanged. After an intended accuracy change, regenerate it with
``python bench/extract_snapshot.py --write`` and review the diff (bench/extract_snapshot.py).
"""

from __future__ import annotations

import importlib.util
import json

from .conftest import ROOT, shared_file

_spec = importlib.util.spec_from_file_location("extract_snapshot", ROOT / "bench" / "extract_snapshot.py")
snap = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(snap)


def _expected(prefix: str) -> dict[str, dict]:
    data = json.loads(snap.SNAPSHOT.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if k.startswith(prefix)}


def _check(prefix: str, docs) -> None:
    expected = _expected(prefix)
    assert expected, f"the snapshot has no {prefix} articles"
    diff = snap.compare(expected, snap.snapshot(docs))
    assert not diff, ("extraction differs from the snapshot (regenerate it with "
                      "bench/extract_snapshot.py --write only after an intended change):\n"
                      + "\n".join(diff[:20]))


def test_examples_unchanged():
    _check("examples/", snap.example_docs())


def test_ant_sample_unchanged():
    shared_file("data", *snap.ANT.parts[-2:])  # skips where the shared data is absent
    _check("ant/", snap.ant_docs())


def test_compare_names_the_changed_article():
    before = {"a": {"digest": "1", "events": ["attack"]}, "b": {"digest": "2", "events": []}}
    after = {"a": {"digest": "1", "events": ["attack"]}, "b": {"digest": "3", "events": ["riot"]},
             "c": {"digest": "4", "events": []}}
    diff = snap.compare(before, after)
    assert [d.split(":")[0] for d in diff] == ["b", "c"] and "riot" in diff[0]
