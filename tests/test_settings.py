"""data/settings.yaml read into the typed Settings object; each kind of bad value is refused
with a message naming the key and what it may be."""
import copy
import re

import pytest
import yaml

from metrics import config
from metrics.errors import SettingsError
from metrics.settings import CutPoints, parse_settings


@pytest.fixture(scope="module")
def shipped() -> dict:
    """The shipped settings file as plain YAML data."""
    return yaml.safe_load(config.SETTINGS_FILE.read_text(encoding="utf-8"))


# Stands for "remove this key" in with_value.
DELETE = object()


def with_value(raw: dict, key: str, value) -> dict:
    """A deep copy of raw with the dotted key set to value (or removed when value is DELETE)."""
    changed = copy.deepcopy(raw)
    *sections, name = key.split(".")
    section = changed
    for part in sections:
        section = section[part]
    if value is DELETE:
        del section[name]
    else:
        section[name] = value
    return changed


def test_the_shipped_file_reads_into_typed_attributes():
    settings = config.settings()
    assert settings.demo.show is True
    assert settings.store.time_zone == "Asia/Shanghai"
    assert settings.store.busy_timeout_seconds == 30.0
    assert settings.evaluation.staleness_years == 2
    assert settings.evaluation.baseline_window == 1
    assert settings.evaluation.default_method == "linear"
    assert settings.evaluation.methods.of("sdsn") == CutPoints(on_track=1.0, at_risk=0.5)
    assert settings.upload.jump_factor == 1.5
    assert settings.upload.max_cell_chars == 32767
    assert config.settings() is settings  # read once


def test_settings_are_frozen():
    with pytest.raises(AttributeError):
        config.settings().evaluation.staleness_years = 3


@pytest.mark.parametrize("key, value, words", [
    ("evaluation.staleness_years", DELETE, ["缺少设置项", "evaluation.staleness_years"]),
    ("evaluation.staleness_years", "2", ["evaluation.staleness_years", "非负整数", "'2'"]),
    ("evaluation.staleness_years", 2.5, ["evaluation.staleness_years", "非负整数"]),
    ("evaluation.staleness_years", -1, ["evaluation.staleness_years", "非负整数", "-1"]),
    ("evaluation.baseline_window", True, ["evaluation.baseline_window", "非负整数"]),
    ("evaluation.basically_share", -0.1, ["evaluation.basically_share", "非负数"]),
    ("store.busy_timeout_seconds", "30s", ["store.busy_timeout_seconds", "非负数"]),
    ("demo.show", "yes", ["demo.show", "true 或 false"]),
    ("evaluation.default_method", "median",
     ["evaluation.default_method", "linear、cagr、projection、sdsn", "'median'"]),
    ("evaluation.methods.cagr.at_risk", 0.99, ["evaluation.methods.cagr.at_risk", "on_track"]),
    ("evaluation.methods.sdsn", DELETE, ["缺少设置项", "evaluation.methods.sdsn"]),
    ("evaluation.methods.median", {"on_track": 1.0, "at_risk": 0.5},
     ["evaluation.methods.median", "无法识别", "linear、cagr、projection、sdsn"]),
    ("evaluation.stalenes_years", 2, ["evaluation.stalenes_years", "无法识别"]),
    ("evaluation.methods.linear", 0.95, ["evaluation.methods.linear", "on_track、at_risk"]),
    ("evaluation.projection_min_points", 6, ["evaluation.projection_min_points"]),
    ("store.time_zone", "Asia/Beijing", ["store.time_zone", "Asia/Shanghai", "'Asia/Beijing'"]),
    ("upload.jump_factor", 1, ["upload.jump_factor", "大于 1"]),
    ("upload", DELETE, ["缺少设置项 upload"]),
    ("upload.max_cells_per_sheet", 0, ["upload.max_cells_per_sheet", "大于 0"]),
    ("upload.max_inflated_mb", "500MB", ["upload.max_inflated_mb", "非负整数"]),
    ("upload.max_read_seconds", -1, ["upload.max_read_seconds", "非负数"]),
    ("upload.max_cell_chars", 200_000, ["upload.max_cell_chars", "131072"]),
    ("upload.max_columns", DELETE, ["缺少设置项 upload.max_columns"]),
])
def test_a_bad_value_is_refused_naming_the_key(shipped, key, value, words):
    with pytest.raises(SettingsError) as caught:
        parse_settings(with_value(shipped, key, value))
    for word in words:
        assert word in str(caught.value)


def test_whole_numbers_are_accepted_where_a_fraction_may_stand(shipped):
    settings = parse_settings(with_value(shipped, "evaluation.around_tolerance_points", 2))
    assert settings.evaluation.around_tolerance_points == 2.0


def test_an_empty_file_is_refused():
    with pytest.raises(SettingsError, match="demo、store、evaluation、upload"):
        parse_settings(None)


def setting_keys(cls: type, prefix: str = "") -> list[str]:
    """Every setting's key as settings.py defines it (evaluation.methods.sdsn.at_risk)."""
    import dataclasses
    import typing
    hints = typing.get_type_hints(cls)
    keys = []
    for field in dataclasses.fields(cls):
        kind = hints[field.name]
        keys += (setting_keys(kind, f"{prefix}{field.name}.") if dataclasses.is_dataclass(kind)
                 else [f"{prefix}{field.name}"])
    return keys


def test_every_setting_has_a_chinese_name():
    from metrics import setting_labels, startup
    from metrics.settings import Settings
    defined = setting_keys(Settings)
    recorded = list(startup.flat_settings(config.settings()))  # deadlines.<outline> too
    assert "access.idle_minutes" in defined and "reporting.deadlines.women-2021-2030" in recorded
    for key in defined + recorded:
        name = setting_labels.label(key)
        assert name != key and re.search(r"[\u4e00-\u9fff]", name), key
    assert setting_labels.label("evaluation.methods.sdsn.at_risk") == "SDSN趋势法需关注的界值"
    assert setting_labels.label("access.unknown_key") == "access.unknown_key"
