"""Hostile or mistaken settings in expectations/: each is refused when the folder is loaded, with
status 2 and a message naming the file and the key, instead of hanging, exhausting memory,
failing with status 3 after the whole extraction, or silently switching a check off."""

from __future__ import annotations

import json
import re
import shutil
import time

import pytest

from auditor.config import load_config
from auditor.errors import ConfigError
from auditor.settings_checks import catastrophic_reason, check_columns

from tests.conftest import ROOT


@pytest.fixture
def expectations(tmp_path):
    folder = tmp_path / "expectations"
    shutil.copytree(ROOT / "expectations", folder)
    return folder


def _replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _refused(folder, *says, columns=False):
    """The ConfigError loading FOLDER raises (with the column check when COLUMNS); it says each of SAYS."""
    with pytest.raises(ConfigError) as caught:
        config = load_config(folder)
        if columns:
            check_columns(config)
    message = str(caught.value)
    for part in says:
        assert part in message, message
    return message


def _add_expectation(folder, table, expectation):
    path = folder / "suites" / f"{table}.json"
    suite = json.loads(path.read_text(encoding="utf-8"))
    suite["expectations"].append(expectation)
    path.write_text(json.dumps(suite, ensure_ascii=False), encoding="utf-8")
    return len(suite["expectations"])


def _audit(folder, tmp_path, *extra):
    from typer.testing import CliRunner

    from auditor.cli import app

    reports = tmp_path / "in"
    reports.mkdir(exist_ok=True)
    (reports / "a.txt").write_text("2021年共受理行政复议案件12件。\n", encoding="utf-8")
    return CliRunner().invoke(app, ["audit", str(reports), "--out", str(tmp_path / "out"), "--expectations",
                                    str(folder), *extra])


# --- regular expressions --------------------------------------------------------------------

CATASTROPHIC = [
    r"^(a|a)+$",          # alternatives that match the same text, repeated
    r"^(a|ab|abc)*$",     # alternatives that start alike
    r"(a+)+$",            # a repeat of one repeat
    r"^(\w+\s?)+$",       # a repeat of a repeat and an optional part
    r"(\s*\w*)*x",        # a repeat of what can match nothing
    r"^(?:\d+)*年$",
    r"\d+\d+\d+\d+$",     # polynomial: found by the probe
    r"(\p{Han}|\p{Han})+$",  # syntax of the regex module alone: the probe
]
SAFE = [
    r"^\d{4}年$", r"^[^,]+(,[^,]+)*$", r"^(\d+,)*\d+$", r"^(?:ab|cd)+$", r"^(a|b)*c$", r"\p{Han}+$",
    r"(a++)+$", r"(?>a+)+$", r"^(第.{1,3}条)+$", r"^\S+@\S+\.\S+$", r"^(?:\d{4})年(?:第\d+号)?$", r"[0-9]+(\.[0-9]+)?%",
]


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_a_pattern_that_backtracks_without_end_is_refused(pattern):
    started = time.perf_counter()
    assert catastrophic_reason(pattern)
    assert time.perf_counter() - started < 5  # a probe stops at its timeout


@pytest.mark.parametrize("pattern", SAFE)
def test_a_pattern_that_runs_in_linear_time_is_accepted(pattern):
    assert catastrophic_reason(pattern) is None


def test_an_invalid_pattern_is_refused():
    assert "not a valid pattern" in catastrophic_reason("(unclosed")


def test_a_suite_regex_that_hangs_is_refused_at_load(expectations):
    number = _add_expectation(expectations, "documents", {
        "type": "expect_column_values_to_match_regex", "kwargs": {"column": "title", "regex": "^(a|a)+$"},
        "meta": {"rule": "INPUT001"}})
    message = _refused(expectations, "documents.json", f"expectation {number}", "kwargs.regex", "^(a|a)+$")
    assert "exponential" in message


def test_a_pattern_in_a_regex_list_is_named_by_its_place(expectations):
    _add_expectation(expectations, "documents", {
        "type": "expect_column_values_to_match_regex_list",
        "kwargs": {"column": "title", "regex_list": ["^报告$", "(x+)+y"]}, "meta": {"rule": "INPUT001"}})
    _refused(expectations, "documents.json", "regex_list[1]", "(x+)+y")


def test_a_pattern_in_a_yaml_file_is_refused(expectations):
    _replace(expectations / "shapes.yaml", "lists:\n", "lists:\n  pattern: '(a|aa)+$'\n")
    _refused(expectations, "shapes.yaml", "lists.pattern")


def test_the_hanging_suite_regex_exits_2_through_the_cli_at_once(expectations, tmp_path):
    _add_expectation(expectations, "facts", {
        "type": "expect_column_values_to_match_regex", "kwargs": {"column": "text", "regex": "^(a|a)+$"},
        "meta": {"rule": "RANGE001"}})
    started = time.perf_counter()
    result = _audit(expectations, tmp_path)
    assert result.exit_code == 2, result.output
    assert "facts.json" in result.stderr and "kwargs.regex" in result.stderr
    assert time.perf_counter() - started < 30 and not (tmp_path / "out").exists()


# --- YAML aliases -------------------------------------------------------------------------------

def _alias_bomb(levels: int = 9) -> str:
    lines = ["lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels):
        lines.append(f"lol{level}: &lol{level} [" + ", ".join([f"*lol{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_a_yaml_alias_bomb_is_refused_in_a_second(expectations):
    (expectations / "rules.yaml").write_text(
        _alias_bomb() + (ROOT / "expectations" / "rules.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    started = time.perf_counter()
    _refused(expectations, "rules.yaml", "expands to more than", "lol")
    assert time.perf_counter() - started < 2


def test_a_yaml_alias_bomb_exits_2_through_the_cli(expectations, tmp_path):
    _replace(expectations / "thresholds.yaml", "suite_parameters:", _alias_bomb() + "suite_parameters:")
    result = _audit(expectations, tmp_path)
    assert result.exit_code == 2 and "thresholds.yaml" in result.stderr, result.output


def test_a_recursive_alias_is_refused(expectations):
    _replace(expectations / "vocabulary.yaml", "units:", "loop: &loop [*loop]\nunits:")
    _refused(expectations, "vocabulary.yaml", "nested more than", "loop")


def test_a_few_aliases_are_still_read(expectations):
    """An alias is YAML: a file that uses one sensibly loads as before."""
    _replace(expectations / "thresholds.yaml", "  rate_min: 0\n", "  rate_min: &zero 0\n")
    assert load_config(expectations).thresholds.suite_parameters["rate_min"] == 0


# --- thresholds ----------------------------------------------------------------------------------

@pytest.mark.parametrize("old, new, says", [
    ("robust_z_max: 3.5", 'robust_z_max: "abc"', "suite_parameters.robust_z_max is 'abc', not a number"),
    ("robust_z_max: 3.5", "robust_z_max: true", "suite_parameters.robust_z_max is True, not a number"),
    ("robust_z_max: 3.5", "robust_z_max: 0", "suite_parameters.robust_z_max is 0, below or at"),
    ("robust_z_max: 3.5", "robust_z_max: .inf", "suite_parameters.robust_z_max is .inf"),
    ("rate_max: 100", "rate_max:", "suite_parameters.rate_max is empty"),
    ("rate_max: 100", "rate_max: null", "suite_parameters.rate_max is empty"),
    ("rate_max: 100", "rate_max: .nan", "suite_parameters.rate_max is .nan"),
    ("rate_min: 0", "rate_min: -5", "suite_parameters.rate_min is -5, below"),
    ("rate_min: 0", "rate_min: 100.5", "suite_parameters.rate_min is 100.5, above"),
    ("rate_max: 100", "rate_max: 100\n  rate_extra: abc", "suite_parameters.rate_extra is 'abc', not a number"),
    ("allow_truncation: true", 'allow_truncation: "false"', "allow_truncation is 'false'; write true or false"),
    ("allow_truncation: true", "allow_truncation: 0", "allow_truncation is 0"),
    ("min: 90, max: 100}", "min: .nan, max: 100}", "plausible_ranges[0].min is .nan"),
    ("min: 90, max: 100}", "min: 90, max: .NaN}", "plausible_ranges[0].max is .NaN"),
    ("min: 90, max: 100}", "min: true, max: 100}", "plausible_ranges entry 1 needs numbers"),
    ("{metric: \"*\", factor: 10", "{metric: \"*\", factor: .nan", "across_years.jumps[0].factor is .nan"),
    ("approximate_tolerance: 0.05", "approximate_tolerance: true", "approximate_tolerance must be a number"),
    ("min_share: 0.4", "min_share: .nan", "line_wrap.min_share is .nan"),
])
def test_a_threshold_of_the_wrong_type_or_range_is_refused(expectations, old, new, says):
    _replace(expectations / "thresholds.yaml", old, new)
    _refused(expectations, "thresholds.yaml", says)


def test_rate_min_above_rate_max_is_refused(expectations):
    _replace(expectations / "thresholds.yaml", "rate_min: 0", "rate_min: 90")
    _replace(expectations / "thresholds.yaml", "rate_max: 100", "rate_max: 80")
    _refused(expectations, "thresholds.yaml", "rate_min (90) is above rate_max (80)")


def test_the_shipped_thresholds_load_with_their_types(config):
    assert config.thresholds.allow_truncation is True
    assert config.thresholds.suite_parameters == {"rate_min": 0, "rate_max": 100, "robust_z_max": 3.5}


def test_a_bad_threshold_exits_2_at_load_through_the_cli(expectations, tmp_path):
    _replace(expectations / "thresholds.yaml", "robust_z_max: 3.5", 'robust_z_max: "abc"')
    started = time.perf_counter()
    result = _audit(expectations, tmp_path)
    assert result.exit_code == 2, result.output
    assert re.fullmatch(r"auditor: error: .*thresholds\.yaml: suite_parameters\.robust_z_max is 'abc', not a "
                        r"number\n", result.stderr)
    assert time.perf_counter() - started < 30 and not (tmp_path / "out").exists()


# --- the suites' own values -----------------------------------------------------------------------

def test_a_parameter_the_thresholds_do_not_set_is_refused(expectations):
    _replace(expectations / "suites" / "facts.json", '"$PARAMETER": "robust_z_max"', '"$PARAMETER": "robust_z_top"')
    _refused(expectations, "facts.json", "expectation 5 (RANGE003)", "$PARAMETER 'robust_z_top'")


def test_a_between_with_no_bound_is_refused(expectations):
    path = expectations / "suites" / "documents.json"
    suite = json.loads(path.read_text(encoding="utf-8"))
    suite["expectations"][6]["kwargs"]["max_value"] = None  # DATE006: dates_outside_period <= 0
    path.write_text(json.dumps(suite), encoding="utf-8")
    _refused(expectations, "documents.json", "expectation 7 (DATE006)", "neither min_value nor max_value")


def test_a_huge_or_deep_number_in_a_suite_is_refused(expectations):
    _replace(expectations / "suites" / "documents.json", '"max_value": 0', '"max_value": ' + "9" * 5000)
    _refused(expectations, "documents.json", "holds a whole number of 5,000 digits")
    (expectations / "suites" / "documents.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    _refused(expectations, "documents.json", "nested too deep")


def test_a_huge_or_deep_value_in_a_yaml_file_is_refused(expectations):
    _replace(expectations / "thresholds.yaml", "rate_max: 100", "rate_max: " + "9" * 5000)
    _refused(expectations, "thresholds.yaml", "suite_parameters.rate_max is a whole number of 5,000 characters")
    _replace(expectations / "thresholds.yaml", "rate_max: " + "9" * 5000, "rate_max: " + "[" * 5000 + "]" * 5000)
    _refused(expectations, "thresholds.yaml", "not valid YAML")


def test_nan_in_a_suite_is_refused(expectations):
    _replace(expectations / "suites" / "documents.json", '"max_value": 0', '"max_value": NaN')
    _refused(expectations, "documents.json", "holds NaN")


# --- templates ---------------------------------------------------------------------------------------

def _message(rules_path, code, lang, text):
    """Replace rule CODE's message in LANG by TEXT (a YAML double-quoted scalar)."""
    source = rules_path.read_text(encoding="utf-8")
    start = source.index(f"\n{code}:")
    block = source.index("  message:", start)
    line_start = source.index(f"    {lang}:", block)
    line_end = source.index("\n", line_start)
    rules_path.write_text(source[:line_start] + f"    {lang}: {json.dumps(text)}" + source[line_end:], encoding="utf-8")


@pytest.mark.parametrize("template, says", [
    ("{0} parts", "has a positional field {0}"),
    ("{} parts", "has a positional field {}"),
    ("{stated_expr.real}", "has field {stated_expr.real}"),
    ("{stated_expr[0]}", "has field {stated_expr[0]}"),
    ("{stated_expr:.2f}", "formats field {stated_expr}"),
    ("{stated_expr!r}", "formats field {stated_expr}"),
    ("sum is {", "is not a valid template"),
    ("a } alone", "is not a valid template"),
])
def test_a_message_template_that_cannot_be_filled_by_name_is_refused(expectations, template, says):
    _message(expectations / "rules.yaml", "ARITH001", "en", template)
    _refused(expectations, "rules.yaml", "rule ARITH001 message.en", says)


def test_a_message_naming_no_column_of_its_table_is_refused(expectations):
    _message(expectations / "rules.yaml", "ARITH001", "zh", "{stated_expr} 与 {no_such_column} 不符")
    config = load_config(expectations)  # the columns are known with the frames
    with pytest.raises(ConfigError, match=r"rules\.yaml: rule ARITH001 message\.zh names field \{no_such_column\}"):
        check_columns(config)


def test_a_tried_template_without_its_field_is_refused(expectations):
    _replace(expectations / "rules.yaml", '  tried:\n    zh: "(另按{tried}核对, 亦不符)"',
             '  tried:\n    zh: "(另按{computed_expr}核对)"')  # ARITH001's, the first
    _refused(expectations, "rules.yaml", "rule ARITH001 tried.zh needs the field {tried}")


def test_a_positional_template_exits_2_through_the_cli(expectations, tmp_path):
    _message(expectations / "rules.yaml", "RATE001", "zh", "{0}")
    result = _audit(expectations, tmp_path)
    assert result.exit_code == 2 and "rule RATE001 message.zh has a positional field {0}" in result.stderr


# --- columns ---------------------------------------------------------------------------------------------

def test_the_shipped_expectations_name_only_columns_their_tables_have(config):
    check_columns(config)


@pytest.mark.parametrize("table, key, value", [
    ("documents", "column", "no_such_column"),
    ("facts", "column_A", "hi_typo"),
    ("relations", "column_B", "computed_low"),
])
def test_an_expectation_on_a_missing_column_is_refused(expectations, table, key, value):
    path = expectations / "suites" / f"{table}.json"
    suite = json.loads(path.read_text(encoding="utf-8"))
    number, expectation = next((i, e) for i, e in enumerate(suite["expectations"], start=1) if key in e["kwargs"])
    expectation["kwargs"][key] = value
    path.write_text(json.dumps(suite, ensure_ascii=False), encoding="utf-8")
    _refused(expectations, f"{table}.json", f"expectation {number}", f"{key} names column '{value}'", columns=True)


def test_a_row_condition_or_evidence_on_a_missing_column_is_refused(expectations):
    path = expectations / "suites" / "relations.json"
    suite = json.loads(path.read_text(encoding="utf-8"))
    suite["expectations"][0]["kwargs"]["row_condition"]["column"]["name"] = "opp"
    path.write_text(json.dumps(suite, ensure_ascii=False), encoding="utf-8")
    _refused(expectations, "relations.json", "expectation 1 (ARITH001) row_condition names column 'opp'", columns=True)
    shutil.copy(ROOT / "expectations" / "suites" / "relations.json", expectations / "suites" / "relations.json")
    _replace(expectations / "suites" / "documents.json", '"published_evidence"', '"publish_evidence"')
    _refused(expectations, "documents.json", "meta.evidence names column 'publish_evidence'", columns=True)


def test_an_expectation_on_a_missing_column_exits_2_before_any_report_is_read(expectations, tmp_path, monkeypatch):
    from auditor import pipeline

    monkeypatch.setattr(pipeline, "read_reports", lambda *_, **__: pytest.fail("the audit ran"))
    _replace(expectations / "suites" / "facts.json", '"column": "robust_z_abs"', '"column": "robust_zz"')
    result = _audit(expectations, tmp_path)
    assert result.exit_code == 2, result.output
    assert "facts.json: expectation 5 (RANGE003) column names column 'robust_zz'" in result.stderr
