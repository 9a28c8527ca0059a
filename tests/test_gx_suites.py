"""The suites run over the columns they read (auditor/checks/gx_suites.py)."""

from __future__ import annotations

import pandas as pd

from auditor.checks.gx_suites import _columns_checked

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
