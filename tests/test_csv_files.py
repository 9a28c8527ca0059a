"""The CSV files: written by the csv module where it can, byte for byte as pandas would write them."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest

from auditor.flag import Evidence, Flag
from auditor.report import csv_files
from auditor.report.files import neutralise_frame


def _mixed_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "text": pd.array(["收案62件", "=HYPERLINK(\"x\")", None, "a,\"b\"\nc", "-3", "+1"], dtype="str"),
        "value": [1.5, float("nan"), float("inf"), -0.25, 1e-05, 97.45],
        "count": np.array([0, 1, -2, 3, 4, 5], dtype="int64"),
        "flag": [True, False, True, True, False, False],
        "other": pd.Series(["@x", None, float("nan"), pd.NA, 7, "\t"], dtype=object),
    })


def _pandas_csv(frame: pd.DataFrame) -> bytes:
    text = neutralise_frame(frame).to_csv(index=False, lineterminator="\r\n")
    return "\ufeff".encode() + text.encode("utf-8")


@pytest.mark.parametrize("chunk_rows", [50_000, 4, 1])
def test_csv_module_writes_what_pandas_writes(monkeypatch, chunk_rows):
    monkeypatch.setattr(csv_files, "_CHUNK_ROWS", chunk_rows)
    frame = _mixed_frame()
    assert b"".join(csv_files._csv_pieces(frame)) == _pandas_csv(frame)


def test_dates_are_left_to_pandas_and_nullable_integers_written_as_pandas_writes_them(monkeypatch):
    frame = _mixed_frame().assign(
        day=pd.to_datetime(["2020-02-25", None, "2021-01-01", "2021-03-31", None, "2022-12-31"]),
        year=pd.array([2020, None, 2021, 2021, None, 2022], dtype="Int64"),
    )
    assert csv_files._fields(frame["day"]) is None
    assert csv_files._fields(frame["year"]) == ["2020", "", "2021", "2021", "", "2022"]
    written = b"".join(csv_files._csv_pieces(frame))
    assert written == _pandas_csv(frame)
    assert "2020-02-25,2020".encode() in written and b"<NA>" not in written


def test_text_that_looks_like_a_formula_is_quoted():
    written = b"".join(csv_files._csv_pieces(_mixed_frame())).decode("utf-8-sig")
    assert "'=HYPERLINK" in written and "'@x" in written
    assert "\r\n-3," in written and "\r\n+1," in written  # a number is no formula: left as it is


def test_fields_are_quoted_only_where_the_csv_module_would_quote_them():
    frame = pd.DataFrame({
        "plain": pd.array(["收案62件", "办结率97.3%", "", "x"], dtype="str"),
        "quoted": pd.array(['a,b', 'say "yes"', "two\nlines", "cr\rhere"], dtype="str"),
        "mixed": pd.Series([1.5, "x,y", None, 3], dtype=object),
    })
    written = b"".join(csv_files._csv_pieces(frame))
    assert written == _pandas_csv(frame)
    assert '"say ""yes"""' in written.decode("utf-8-sig") and '"x,y"' in written.decode("utf-8-sig")


def test_a_line_or_a_year_is_a_whole_number_even_where_one_is_missing(tmp_path):
    # a column of numbers with one missing is read as floats: flags.csv once wrote line 12.0
    flags = [Flag(id="a", severity="error", category="arithmetic", rule="ARITH001", name="sum", report="r.txt",
                  region="", year=2023, message="m", expected="", observed="",
                  evidence=(Evidence(text="收案62件", start=3, end=8, line=12),)),
             Flag(id="b", severity="info", category="document", rule="DOC003", name="meta", report="s.txt",
                  region="", year=None, message="m", expected="", observed="", evidence=())]
    csv_files.write_frames(tmp_path / "flags.csv", csv_files.flags_frames(flags))
    rows = list(csv.DictReader(io.StringIO((tmp_path / "flags.csv").read_text(encoding="utf-8-sig"))))
    assert [(r["line"], r["year"]) for r in rows] == [("12", "2023"), ("", "")]
