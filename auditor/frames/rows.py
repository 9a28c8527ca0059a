"""A frame's rows as dicts of Python values, built a column at a time: what to_dict gives (a
missing value of a nullable column, Int64 or boolean, is None) in about a third of its time, which
builds them a row at a time. The flags read the rows they quote this way, and the checks across
years the figures they compare."""

from __future__ import annotations

import pandas as pd


def row_dicts(frame: pd.DataFrame) -> list[dict]:
    """FRAME's rows, in order, each a dict of its columns."""
    names = frame.columns.tolist()
    return [dict(zip(names, values)) for values in zip(*(_values(frame[name]) for name in names))]


def _values(column: pd.Series) -> list:
    """A column's values as Python's, pd.NA as None."""
    values = column.tolist()
    if getattr(column.dtype, "na_value", None) is pd.NA and column.hasnans:  # Int64, boolean
        values = [None if value is pd.NA else value for value in values]
    return values
