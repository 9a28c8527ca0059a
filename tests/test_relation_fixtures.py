"""The relation readers on passages: every case of tests/fixtures/relations/<reader>.yaml, one
file per reader of auditor/extract/relations/registry.READERS.

A case reads

    - text: 共收到群众来信来访500件,其中来信300件,来访150件。
      yields:                   # each must be among the passage's relations
        - {op: le, source: qizhong, stated: 500件, parts: [300件, 150件], holds: true,
           reading: before 其中}   # source, holds and reading (words of it) are optional
      silent: [qizhong]         # (optional) sources that must yield nothing for this passage
      absent:                   # (optional) relations that must not be among them (a wrong reading)
        - {op: rate, stated: 占30%, parts: [150件, 300件]}

`stated` and `parts` are the figures' texts; `holds` says whether the relation's check passes
(the two intervals meet; for le and pct_le, the parts do not exceed the whole).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.extract.relations.registry import READERS
from auditor.process import read_text
from tests.conftest import read_yaml

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "relations"
MIN_CASES = 6
_BOUNDS = ("le", "pct_le")


def _cases():
    cases = []
    for path in sorted(FIXTURES.glob("*.yaml")):
        data = read_yaml(path)
        for i, case in enumerate(data["cases"], start=1):
            cases.append(pytest.param(case, id=f"{path.stem}_{i}"))
    return cases


def _relations(text: str, config) -> list[dict]:
    columns = read_text(text, {"report": "t.txt"}, config).relations
    facts = read_text(text, {"report": "t.txt"}, config).facts
    text_of = dict(zip(facts["fact_id"], facts["text"]))
    rows = [dict(zip(columns, values)) for values in zip(*columns.values())]
    for row in rows:
        row["stated"] = text_of[row["stated_fact"]]
        row["part_texts"] = [text_of[int(i)] for i in str(row["part_facts"]).split(";") if i != ""]
        low, high = row["computed_lo"], row["computed_hi"]
        meets = low <= row["stated_hi"]
        row["holds"] = meets if row["op"] in _BOUNDS else meets and row["stated_lo"] <= high
    return rows


def _matches(row: dict, expected: dict) -> bool:
    if row["op"] != expected["op"] or row["stated"] != str(expected["stated"]):
        return False
    if "parts" in expected and row["part_texts"] != [str(p) for p in expected["parts"]]:
        return False
    if "source" in expected and row["source"] != expected["source"]:
        return False
    if "holds" in expected and row["holds"] != expected["holds"]:
        return False
    return "reading" not in expected or expected["reading"] in row["reading"]


@pytest.mark.parametrize("case", _cases())
def test_passage_yields_its_relations(config, case):
    rows = _relations(case["text"], config)
    shown = [(r["op"], r["source"], r["stated"], r["part_texts"], r["holds"], r["reading"]) for r in rows]
    for expected in case.get("yields") or ():
        assert any(_matches(r, expected) for r in rows), f"{expected} not in {shown}"
    silent = set(case.get("silent") or ())
    assert not [s for s in shown if s[1] in silent], shown
    for wrong in case.get("absent") or ():
        assert not any(_matches(r, wrong) for r in rows), f"{wrong} read: {shown}"


def test_every_reader_has_a_fixture_and_documents_a_passage_it_reads_and_one_it_leaves():
    import importlib

    problems = []
    for name, read in READERS:
        module = importlib.import_module(read.__module__)
        doc = module.__doc__ or ""
        if "Reads:" not in doc or "Leaves:" not in doc:
            problems.append(f"{module.__name__}: the docstring shows no passage it reads and one it leaves")
        path = FIXTURES / f"{name}.yaml"
        if not path.is_file():
            problems.append(f"{path.name}: missing")
            continue
        cases = read_yaml(path)["cases"]
        if len(cases) < MIN_CASES or not any(not c.get("yields") for c in cases):
            problems.append(f"{path.name}: fewer than {MIN_CASES} cases, or none the reader leaves alone")
    assert not problems, "\n".join(problems)
