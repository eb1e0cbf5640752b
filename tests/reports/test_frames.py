"""Column helpers read what SQLite, PostgreSQL and re-read readings hand them."""

import sys
from decimal import Decimal

import numpy as np
import pandas as pd

from reports.frames import numeric_column, shared_text


def test_numbers_come_out_as_floats_whatever_the_missing_value():
    # A nullable column turned object, as after stale readings are replaced, holds pd.NA.
    column = pd.Series([Decimal("85.7"), None, pd.NA, np.nan, 3], dtype=object)

    result = numeric_column(column)

    assert result.dtype == "float64"
    assert result.tolist()[0] == 85.7
    assert result.isna().tolist() == [False, True, True, True, False]


def test_a_nullable_integer_column_becomes_float():
    result = numeric_column(pd.Series([120, None], dtype="Int64"))

    assert result.dtype == "float64"
    assert result.tolist()[0] == 120.0
    assert np.isnan(result.tolist()[1])


def test_shared_text_keeps_every_value_and_shares_one_object_per_text():
    # As a driver hands them: equal texts, each a string object of its own.
    column = pd.Series(
        ["".join(["medial_", "branch"]) for _ in range(3)] + [None], index=[7, 5, 3, 1]
    )

    result = shared_text(column)

    pd.testing.assert_series_equal(result, column, check_exact=True)
    values = result.to_numpy()
    assert values[0] is values[1] is values[2]
    assert values[0] is sys.intern("medial_branch")
    assert shared_text(column.iloc[:0]).empty
