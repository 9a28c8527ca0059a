"""Choosing rules as ruff does: --select, --extend-select and --ignore by code, prefix or category,
`enabled: false` in rules.yaml, and `auditor rules` showing which are on; through the CLI."""

from __future__ import annotations

import csv
import json
import shutil

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.errors import AuditorError
from auditor.selection import choose_rules
from tests.conftest import ROOT, SEEDS

runner = CliRunner()
SAMPLE = SEEDS / "000_bffc2002e0c26100.txt"   # ARITH001, RATE001, DATE001
OTHER = SEEDS / "001_ced26390e78030fa.txt"    # ARITH002, RATE001, DOC003


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def rules_of(out) -> list[str]:
    return sorted(f["rule"] for f in json.loads((out / "flags.json").read_text(encoding="utf-8"))["flags"])


@pytest.mark.parametrize(("select", "extend", "ignore", "expected"), [
    (None, None, None, "all"),
    (["ARITH"], None, ["ARITH002"], {"ARITH001", "ARITH003"}),                  # a code beats a prefix
    (["ARITH001"], None, ["ARITH"], {"ARITH001"}),                              # ... either way round
    (["consistency"], None, ["DISC"], {"CONS001", "CONS002", "CONS003", "CONS004"}),  # a prefix beats a category
    (["rate,range"], None, ["RANGE003"], {"RATE001", "RATE002", "RATE003", "RATE004", "RANGE001", "RANGE002",
                                              "RANGE004", "RANGE005"}),
    (["ALL"], None, ["template", "date", "document", "input"], None),
    (["DATE00"], None, ["DATE00"], set()),                                      # a tie: --ignore wins
    (None, ["DOC001"], ["document"], {"DOC001"}),                               # the selectors of one run
])
def test_selectors_resolve_as_ruff_resolves_them(config, select, extend, ignore, expected):
    chosen = choose_rules(config, select, extend, ignore)
    if expected == "all":
        assert chosen == set(config.rules)
    elif expected is None:
        assert chosen == {c for c, r in config.rules.items() if r.category not in ("template", "date", "document", "input")}
    elif expected == {"DOC001"}:
        assert "DOC001" in chosen and not chosen & {"DOC002", "DOC003", "DOC004"} and "ARITH001" in chosen
    else:
        assert chosen == expected


def test_an_unknown_selector_is_a_usage_error(config):
    with pytest.raises(AuditorError, match="--ignore XYZ: no rule code, prefix of codes or category"):
        choose_rules(config, None, None, ["XYZ"])


def test_select_and_ignore_choose_the_flags_and_the_outputs_follow(tmp_path):
    out = tmp_path / "out"
    result = run("audit", SAMPLE, OTHER, "--out", out, "--select", "RATE,ARITH", "--ignore", "ARITH002")
    assert result.exit_code == 1, result.output
    assert rules_of(out) == ["ARITH001", "RATE001", "RATE001"]
    sarif = json.loads((out / "flags.sarif").read_text(encoding="utf-8"))
    assert {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]} == \
        {"ARITH001", "ARITH003", "RATE001", "RATE002", "RATE003", "RATE004"}
    with open(out / "relations.csv", encoding="utf-8-sig", newline="") as handle:
        relations = list(csv.DictReader(handle))
    # a relation only rules left out check is not reported as passing
    assert {r["status"] for r in relations if r["op"] in ("le", "restate")} <= {"unchecked"}
    assert {r["status"] for r in relations if r["op"] == "eq"} >= {"fail"}

    date_only = run("audit", SAMPLE, "--out", tmp_path / "dates", "--select", "date")
    assert rules_of(tmp_path / "dates") == ["DATE001"]
    assert date_only.exit_code == 1


def test_a_rule_disabled_in_rules_yaml_is_off_until_selected(tmp_path):
    expectations = tmp_path / "expectations"
    shutil.copytree(ROOT / "expectations", expectations)
    rules = expectations / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("RATE001:\n  name: rate-does-not-match-counts\n",
                                  "RATE001:\n  name: rate-does-not-match-counts\n  enabled: false\n"), encoding="utf-8")

    listed = run("rules", "--expectations", expectations)
    states = {line.split()[0]: line.split()[1] for line in listed.stdout.splitlines()}
    assert states["RATE001"] == "off" and states["ARITH001"] == "on"
    assert {line.split()[0]: line.split()[1] for line in run("rules", "--expectations", expectations, "--lang", "zh",
                                                              "--ignore", "ARITH").stdout.splitlines()}["ARITH001"] == "停用"

    run("audit", SAMPLE, "--out", tmp_path / "a", "--expectations", expectations)
    assert "RATE001" not in rules_of(tmp_path / "a")
    run("audit", SAMPLE, "--out", tmp_path / "b", "--expectations", expectations, "--extend-select", "RATE001")
    assert "RATE001" in rules_of(tmp_path / "b") and "ARITH001" in rules_of(tmp_path / "b")

    rules.write_text(text.replace("RATE001:\n  name: rate-does-not-match-counts\n",
                                  "RATE001:\n  name: rate-does-not-match-counts\n  enabled: maybe\n"), encoding="utf-8")
    broken = run("audit", SAMPLE, "--out", tmp_path / "c", "--expectations", expectations)
    assert broken.exit_code == 2 and "rule RATE001 has enabled 'maybe', expected true or false" in broken.output


def test_no_rule_left_is_a_usage_error(tmp_path):
    result = run("audit", SAMPLE, "--out", tmp_path, "--select", "date", "--ignore", "DATE")
    assert result.exit_code == 2 and "no rule is selected" in result.output


def test_rules_lists_in_either_language(config):
    english = run("rules").stdout.splitlines()
    chinese = run("rules", "--lang", "zh").stdout.splitlines()
    assert len(english) == len(chinese) == len(config.rules)
    for line, zh, rule in zip(english, chinese, config.rules.values()):
        assert line.split()[:2] == [rule.code, "on"] and rule.summary in line
        assert zh.split()[:2] == [rule.code, "启用"] and rule.zh["title"] in zh and rule.zh["summary"] in zh
        assert rule.summary not in zh


def test_every_rule_has_its_chinese_texts(config):
    for rule in config.rules.values():
        assert set(rule.zh) == {"title", "summary", "what", "why"}, rule.code
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in text) for text in rule.zh.values()), rule.code


def test_explain_in_chinese(config):
    rule = config.rules["RATE001"]
    out = run("explain", "RATE001", "--lang", "zh").stdout
    assert out.splitlines()[0] == f"# {rule.zh['title']} (RATE001)"
    parts = [rule.zh["summary"], "## 检查什么", rule.zh["what"], "## 为什么重要", rule.zh["why"],
             "## 会被标记的写法", rule.docs["fail"].strip(), "## 不会被标记的写法", rule.docs["pass"].strip()]
    positions = [out.index(part) for part in parts]
    assert positions == sorted(positions)
    assert "严重程度: 错误" in out and rule.docs["what"] not in out
