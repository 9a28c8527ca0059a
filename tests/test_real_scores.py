"""The scores on real published text (`python -m bench.real`) never fall below their last
measured values, kept in bench/real_scores.json (`python -m bench.real --record` writes them).

The real corpora live beside the repository (../shared/corpora); the module is skipped where
they are absent.
"""

from __future__ import annotations

import json

import pytest

from bench import real

if not real.PASSAGES.is_file() or not (real.REPORTS / "gold.jsonl").is_file():
    pytest.skip(f"real corpora not found under {real.CORPORA}", allow_module_level=True)

RECORDED = json.loads(real.SCORES.read_text(encoding="utf-8"))
# found: more is better; false: fewer is better
FOUND = ("passages_inconsistent_flagged", "anomalies_found")
FALSE = ("passages_consistent_flagged", "false_content_flags", "false_doc004")


@pytest.fixture(scope="module")
def scores(config):
    return real.measure(config)


def test_the_corpora_are_the_ones_scored(scores):
    for key in ("passages_inconsistent", "passages_consistent", "anomalies"):
        assert getattr(scores, key) == RECORDED[key], key


@pytest.mark.parametrize("key", FOUND)
def test_no_fewer_found(scores, key):
    details = scores.details.get("passages_missed") if key.startswith("passages") else scores.details.get(
        "anomalies_missed")
    assert getattr(scores, key) >= RECORDED[key], json.dumps(details, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("key", FALSE)
def test_no_more_false_flags(scores, key):
    detail = {"passages_consistent_flagged": "passages_false", "false_content_flags": "reports_false",
              "false_doc004": "doc004"}[key]
    assert getattr(scores, key) <= RECORDED[key], json.dumps(scores.details.get(detail), ensure_ascii=False, indent=1)
