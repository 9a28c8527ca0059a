"""The suites run over the columns they read, with rows numbered for GX and named again after
(auditor/checks/gx_suites.py)."""

from __future__ import annotations

import pandas as pd

from auditor.checks.gx_suites import _columns_checked, _numbered, _with_keys

SUITE = {"expectations": [
    {"type": "expect_column_pair_values_a_to_be_greater_than_b",
     "kwargs": {"column_A": "stated_hi", "column_B": "computed_lo",
                "row_condition": {"type": "and", "conditions": [
                    {"type": "comparison", "column": {"name": "op"}, "operator": "==", "parameter": "eq"}]}}},
    {"type": "expect_column_values_to_be_between", "kwargs": {"column": "value_num", "min_value": 0}},
    {"type": "expect_compound_columns_to_be_unique", "kwargs": {"column_list": ["report", "start"]}},
]}
FRAME = pd.DataFrame({name: [1] for name in ("key", "stated_hi", "computed_lo", "op", "value_num", "report", "start",
                                             "sentence", "evidence")})


def test_only_the_columns_a_suite_names_and_the_key():
    assert list(_columns_checked(FRAME, SUITE, "key").columns) == [
        "key", "stated_hi", "computed_lo", "op", "value_num", "report", "start"]


def test_an_expectation_about_the_columns_themselves_gets_them_all():
    suite = {"expectations": [*SUITE["expectations"],
                              {"type": "expect_table_columns_to_match_set", "kwargs": {"column_set": ["key"]}}]}
    assert list(_columns_checked(FRAME, suite, "key").columns) == list(FRAME.columns)


def test_gx_sees_row_numbers_and_the_results_name_rows_by_key():
    frame = pd.DataFrame({"key": ["a.txt#0", "a.txt#1", "b.txt#0"], "value_num": [1.0, -2.0, -3.0]})
    numbered, keys = _numbered(frame, SUITE, "key")
    assert numbered["key"].tolist() == [0, 1, 2] and keys == frame["key"].tolist()
    assert frame["key"].tolist() == ["a.txt#0", "a.txt#1", "b.txt#0"]  # the run's frame is left alone
    validation = {"results": [{"result": {
        "unexpected_index_list": [{"key": 1, "value_num": -2.0}, {"key": 2, "value_num": -3.0}],
        "partial_unexpected_index_list": [{"key": 1, "value_num": -2.0}]}}, {"result": {}}]}
    named = _with_keys(validation, "key", keys)["results"][0]["result"]
    assert named["unexpected_index_list"] == [{"key": "a.txt#1", "value_num": -2.0}, {"key": "b.txt#0", "value_num": -3.0}]
    assert named["partial_unexpected_index_list"] == [{"key": "a.txt#1", "value_num": -2.0}]


def test_a_suite_that_reads_the_key_gets_the_keys_themselves():
    suite = {"expectations": [{"type": "expect_column_values_to_match_regex",
                               "kwargs": {"column": "key", "regex": "#[0-9]+$"}}]}
    frame = pd.DataFrame({"key": ["a.txt#0"], "value_num": [1.0]})
    numbered, keys = _numbered(frame, suite, "key")
    assert keys is None and numbered["key"].tolist() == ["a.txt#0"]
