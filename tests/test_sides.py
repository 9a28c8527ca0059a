"""What the workbook shows of each flag beside its message (rules.yaml's `sides`): every rule's
docs passage that fails it gives sides filled from its own fields, in both languages, and a
difference only where the two figures are of one measure."""

from __future__ import annotations

import dataclasses

import pytest

from auditor.config import SIDES
from auditor.pipeline import audit


@pytest.fixture(scope="module")
def flags_by_lang(tmp_path_factory, config):
    folder = tmp_path_factory.mktemp("passages")
    for code, rule in config.rules.items():
        if "\n---" not in rule.docs["fail"] and code != "INPUT001":  # one report each
            (folder / f"{code}.txt").write_text(rule.docs["fail"], encoding="utf-8")
    return {lang: audit([folder], config, lang).flags for lang in ("zh", "en")}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_rule_fills_its_sides_from_its_own_fields(flags_by_lang, config, lang):
    flags = [f for f in flags_by_lang[lang] if f.report.endswith(f"{f.rule}.txt")]
    assert {f.rule for f in flags} >= {c for c, r in config.rules.items()
                                          if "\n---" not in r.docs["fail"] and c != "INPUT001"}
    for flag in flags:
        rule = config.rules[flag.rule]
        sides = _present(flag.sides)
        assert set(sides) - {"difference"} == set(rule.sides) and set(rule.sides) <= set(SIDES)
        for side in rule.sides:
            assert sides[side] and "{" not in sides[side] and "?" not in sides[side], (flag.rule, side, sides[side])
        if lang == "zh":
            for side in ("required",):  # what must hold is said in the reader's language
                if side in sides:
                    assert any("\u4e00" <= ch <= "\u9fff" for ch in sides[side]) or "%" in sides[side], flag.rule
        shows_difference = rule.table == "relations" and rule.difference and {"stated", "computed"} <= set(rule.sides)
        assert ("difference" in sides) == shows_difference, flag.rule


def test_a_difference_is_the_stated_figure_less_the_computed_one(flags_by_lang):
    by_rule = {f.rule: f for f in flags_by_lang["zh"]}
    assert by_rule["ARITH001"].sides.difference == 40 - 39   # 收到40件 against 受理36 + 不予受理3
    assert by_rule["ARITH002"].sides.difference == 120 - 90
    assert by_rule["RATE002"].sides.difference is None         # a rate against the base it needs


def _present(sides) -> dict:
    """The sides a flag shows: those its rule fills."""
    return {name: value for name, value in dataclasses.asdict(sides).items() if value is not None}
