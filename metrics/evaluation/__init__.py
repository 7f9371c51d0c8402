"""The evaluation engine: each indicator's target in force, baseline, latest value, progress
and status flag (engine), the status table, progress methods, small-number intervals, 达标率,
the explanation sentences and the flat result table."""
from metrics.evaluation.engine import (
    METHODS,
    evaluate,
    indicators_for_regions,
    outline_indicators,
    run,
    target_rows,
)

__all__ = ["METHODS", "evaluate", "indicators_for_regions", "outline_indicators", "run",
           "target_rows"]
