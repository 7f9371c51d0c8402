"""The evaluation's inputs per (indicator, region) in one pass over the observations (a part
of DuckDBStore)."""
from __future__ import annotations

import pandas as pd

# One pass over the observations: a single GROUP BY gives the last N points (the newest is the
# latest value), the counts stored with the latest value (none when that year has none: a
# caveat must speak of the value it is about) and the baseline (exact year first, then the earlier, then
# the later neighbour); the least squares line through the last N points is then computed in
# closed form on years counted from 2000 (for precision). It groups by the numbers of the codes
# in the lists asked for, not by two text columns. Cheaper than a window function or joined
# sub-queries at national scale (BENCHMARKS.md).
EVALUATION_INPUTS_SQL = """
WITH asked_indicators AS (
    SELECT unnest($indicators) AS indicator_code,
           generate_subscripts($indicators, 1) - 1 AS indicator_number),
asked_regions AS (
    SELECT unnest($regions) AS region_code, generate_subscripts($regions, 1) - 1 AS region_number),
series AS (
    SELECT indicator_number, region_number,
           max(CAST(year - 2000 AS DOUBLE), $points) AS xs, max_by(value, year, $points) AS ys,
           arg_max_null(numerator, year) AS latest_numerator,
           arg_max_null(denominator, year) AS latest_denominator,
           arg_min(year, abs(year - $baseline) * 10 + CAST(year > $baseline AS INTEGER))
               FILTER (abs(year - $baseline) <= $window) AS baseline_year_used,
           arg_min(value, abs(year - $baseline) * 10 + CAST(year > $baseline AS INTEGER))
               FILTER (abs(year - $baseline) <= $window) AS baseline_value
    FROM observations
    JOIN asked_indicators USING (indicator_code)
    JOIN asked_regions USING (region_code)
    WHERE value IS NOT NULL AND year <= $year
    GROUP BY ALL),
sums AS (
    SELECT indicator_number, region_number, CAST(xs[1] AS INTEGER) + 2000 AS latest_year,
           ys[1] AS latest_value, latest_numerator, latest_denominator, baseline_year_used,
           baseline_value, len(xs) AS trend_points, list_sum(xs) AS sx, list_sum(ys) AS sy,
           (len(xs) * list_dot_product(xs, ys) - list_sum(xs) * list_sum(ys))
               / nullif(len(xs) * list_dot_product(xs, xs) - list_sum(xs) ^ 2, 0) AS trend_slope
    FROM series)
SELECT * EXCLUDE (sx, sy),
       (sy - trend_slope * sx) / trend_points - trend_slope * 2000 AS trend_intercept
FROM sums
"""



class EvaluationInputs:
    """Latest value, baseline and least-squares trend per (indicator, region)."""

    def fetch_evaluation_inputs(self, indicator_codes: list[str], region_codes: list[str],
                                year: int, baseline_year: int, baseline_window: int,
                                trend_points: int) -> pd.DataFrame:
        # indicator_code and region_code come back as categoricals over the codes asked for:
        # the query groups by their numbers rather than by two text columns, and no code is
        # copied to every row.
        indicators = list(dict.fromkeys(indicator_codes))
        regions = list(dict.fromkeys(region_codes))
        with self.connection() as con:
            frame = con.execute(EVALUATION_INPUTS_SQL, {
                "indicators": indicators, "regions": regions, "year": year,
                "baseline": baseline_year, "window": baseline_window,
                "points": trend_points}).df()
        frame.insert(0, "indicator_code",
                     pd.Categorical.from_codes(frame.pop("indicator_number"), indicators))
        frame.insert(1, "region_code",
                     pd.Categorical.from_codes(frame.pop("region_number"), regions))
        return frame
