"""Column helpers read what SQLite, PostgreSQL and re-read readings hand them."""

from decimal import Decimal

import numpy as np
import pandas as pd

from reports.frames import numeric_column


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
