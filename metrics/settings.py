"""The office's settings (data/settings.yaml) as one typed, frozen object, checked on reading.

Every key is required and typed: a missing key, a wrong type, a negative number, an unknown
method, cut-points in the wrong order or an unknown time zone raise SettingsError naming the
key (e.g. `evaluation.staleness_years`) and what it may be, so a typo never silently becomes a
default. No project imports beyond errors: config reads the file, this module only checks it.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import typing
import zoneinfo
from dataclasses import dataclass

from metrics.errors import SettingsError


@dataclass(frozen=True)
class DemoSettings:
    show: bool  # list the fictional demonstration city (演示数据, codes 99xxxx)


@dataclass(frozen=True)
class StoreSettings:
    busy_timeout_seconds: float  # how long a command waits for the database file
    time_zone: str               # IANA zone in which batches and notes are timed


@dataclass(frozen=True)
class CutPoints:
    """Progress ratio ≥ on_track → 进度正常, ≥ at_risk → 需关注, below → 进度滞后."""
    on_track: float
    at_risk: float


@dataclass(frozen=True)
class MethodCutPoints:
    """The cut-points of each progress method; the field names are the methods' codes."""
    linear: CutPoints
    cagr: CutPoints
    projection: CutPoints
    sdsn: CutPoints

    def of(self, method: str) -> CutPoints:
        """The cut-points of one method (a code among METHOD_CODES)."""
        return getattr(self, method)


METHOD_CODES = tuple(f.name for f in dataclasses.fields(MethodCutPoints))


@dataclass(frozen=True)
class EvaluationSettings:
    around_tolerance_points: float     # band of an "around" target, % indicators (points)
    around_tolerance_share: float      # … other indicators (share of the target value)
    basically_points: float            # 基本达标 tolerance, % indicators (points)
    basically_share: float             # … other indicators (share of the goal)
    staleness_years: int               # older latest values count as missing
    baseline_window: int               # years either side a baseline value may come from
    direction_min_change_share: float  # smaller changes of direction-only targets are 持平
    projection_points: int             # least squares over the last N points …
    projection_min_points: int         # … and at least this many
    small_count: int                   # fewer events: 基数小，波动大
    small_denominator: int             # smaller denominator of a percentage: likewise
    default_method: str                # one of METHOD_CODES
    methods: MethodCutPoints


@dataclass(frozen=True)
class UploadSettings:
    jump_factor: float            # a value beyond this many times the previous year's is flagged
    max_inflated_mb: int          # a workbook's parts may unpack to at most this many MB …
    max_compression_ratio: int    # … none packed more than this many times over (a zip bomb)
    max_cells_per_sheet: int      # rows × columns of the data read from one sheet
    max_columns: int              # columns of the data read from one sheet
    max_cell_chars: int           # characters of one cell (Excel's own limit is 32,767)
    max_read_seconds: float       # reading a file stops after this long
    max_read_memory_mb: int       # … or once the process reading it holds this much memory


@dataclass(frozen=True)
class AccessSettings:
    idle_minutes: int                  # a login session unused this long ends
    failure_window_minutes: int        # failed logins counted over this window …
    slow_after_failures: int           # … from this many on, each attempt waits …
    slow_seconds: float                # … this long before it is answered
    lock_after_failures: int           # this many for one user lock the user …
    address_lock_after_failures: int   # … this many from one address lock the address …
    lock_minutes: int                  # … for this long after the last failure
    public_mode: bool                  # monitoring pages open read-only without login …
    public_regions: tuple[str, ...]    # … for these regions (codes, with what lies below) …
    public_outlines: tuple[str, ...]   # … and these outlines


# Region levels from the top; a region of a level reports to one above it.
REGION_LEVELS = ("national", "province", "city", "county")


@dataclass(frozen=True)
class ReportingSettings:
    levels: tuple[str, ...]        # the levels whose regions report (submit, are approved)
    lock_level: str                # reviewers and administrators of this level or above lock
    deadline: str                  # MM-DD in the year after the data year: when data are due …
    deadlines: dict[str, str]      # … unless the outline (by id) has its own here
    rollup_tolerance_share: float  # a region's own value further than this share from the
    #                                sum of its counties' counts is flagged

    def due(self, outline_id: str, year: int) -> dt.date:
        """When the data of `year` are due for the outline."""
        month, day = map(int, self.deadlines.get(outline_id, self.deadline).split("-"))
        return dt.date(year + 1, month, day)


@dataclass(frozen=True)
class Settings:
    demo: DemoSettings
    store: StoreSettings
    evaluation: EvaluationSettings
    upload: UploadSettings
    access: AccessSettings
    reporting: ReportingSettings


# What a value of each type may be, in the words of the error message.
TYPE_WORDS = {bool: "true 或 false", int: "非负整数", float: "非负数", str: "文字",
              tuple[str, ...]: "文字的列表，如 [\"000000\"]",
              dict[str, str]: "名称到文字的对应，如 {women-2021-2030: \"03-31\"}"}


def parse_settings(raw: object) -> Settings:
    """The settings read from YAML (nested dicts), checked; SettingsError on the first fault."""
    settings = parse_section(Settings, raw, "")
    check_values(settings)
    return settings


def parse_section(cls: type, raw: object, path: str):
    """One section (a dataclass) from a dict: every field present, no unknown key."""
    fields = {f.name: f for f in dataclasses.fields(cls)}
    if not isinstance(raw, dict):
        raise SettingsError(f"设置项 {path or '（文件）'} 应为包含 {'、'.join(fields)} 的一节。")
    unknown = [key for key in raw if key not in fields]
    if unknown:
        raise SettingsError(f"设置项 {key_path(path, unknown[0])} 无法识别，"
                            f"可用的设置项：{'、'.join(fields)}。")
    hints = typing.get_type_hints(cls)
    values = {}
    for name in fields:
        key = key_path(path, name)
        if name not in raw:
            raise SettingsError(f"缺少设置项 {key}。")
        values[name] = parse_value(hints[name], raw[name], key)
    return cls(**values)


def parse_value(kind: type, value: object, key: str):
    """One value of the given type; numbers must not be negative (a bool is not a number)."""
    if dataclasses.is_dataclass(kind):
        return parse_section(kind, value, key)
    if kind == tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise SettingsError(f"设置项 {key} 应为{TYPE_WORDS[kind]}，现为 {value!r}。")
        return tuple(value)
    if kind == dict[str, str]:
        if not isinstance(value, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            raise SettingsError(f"设置项 {key} 应为{TYPE_WORDS[kind]}，现为 {value!r}。")
        return dict(value)
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if type(value) is not kind or (kind in (int, float) and value < 0):
        raise SettingsError(f"设置项 {key} 应为{TYPE_WORDS[kind]}，现为 {value!r}。")
    return value


def check_values(settings: Settings) -> None:
    """Rules between values: known method and time zone, cut-points in order, sane factor."""
    evaluation = settings.evaluation
    if evaluation.default_method not in METHOD_CODES:
        raise SettingsError(f"设置项 evaluation.default_method 应为 {'、'.join(METHOD_CODES)} "
                            f"之一，现为 {evaluation.default_method!r}。")
    for method in METHOD_CODES:
        cuts = evaluation.methods.of(method)
        if cuts.at_risk > cuts.on_track:
            raise SettingsError(f"设置项 evaluation.methods.{method}.at_risk（{cuts.at_risk}）"
                                f"不应大于 on_track（{cuts.on_track}）。")
    if evaluation.projection_min_points > evaluation.projection_points:
        raise SettingsError("设置项 evaluation.projection_min_points 不应大于 "
                            "evaluation.projection_points。")
    if settings.upload.jump_factor <= 1:
        raise SettingsError(f"设置项 upload.jump_factor 应大于 1，现为 {settings.upload.jump_factor}。")
    check_upload_limits(settings.upload)
    check_access(settings.access)
    check_reporting(settings.reporting)
    check_time_zone(settings.store.time_zone)


# The csv module refuses longer fields, and raising its process-wide limit would affect
# every thread; a longer cell limit could not be kept for CSV files.
CSV_FIELD_LIMIT = 131_072


def check_upload_limits(upload: UploadSettings) -> None:
    """Reading limits that would refuse every file, or one the CSV reader cannot keep."""
    for name in ("max_inflated_mb", "max_compression_ratio", "max_cells_per_sheet",
                 "max_columns", "max_cell_chars", "max_read_seconds", "max_read_memory_mb"):
        if getattr(upload, name) <= 0:
            raise SettingsError(f"设置项 upload.{name} 应大于 0，现为 {getattr(upload, name)}。")
    if upload.max_cell_chars > CSV_FIELD_LIMIT:
        raise SettingsError(f"设置项 upload.max_cell_chars 不应大于 {CSV_FIELD_LIMIT}，"
                            f"现为 {upload.max_cell_chars}。")


def check_access(access: AccessSettings) -> None:
    """Limits that would end every session at once or lock on the first mistake."""
    for name in ("idle_minutes", "failure_window_minutes", "lock_after_failures",
                 "address_lock_after_failures", "lock_minutes"):
        if getattr(access, name) <= 0:
            raise SettingsError(f"设置项 access.{name} 应大于 0，现为 {getattr(access, name)}。")
    if access.slow_after_failures > access.lock_after_failures:
        raise SettingsError("设置项 access.slow_after_failures 不应大于 access.lock_after_failures。")
    if access.public_mode and not (access.public_regions and access.public_outlines):
        raise SettingsError("设置项 access.public_mode 为 true 时，access.public_regions 与 "
                            "access.public_outlines 应至少各列出一项。")


def check_reporting(reporting: ReportingSettings) -> None:
    """Known levels (全国 has nobody above to approve it), dates that exist every year."""
    wrong = [level for level in reporting.levels if level not in REGION_LEVELS[1:]]
    if wrong or not reporting.levels:
        raise SettingsError(f"设置项 reporting.levels 应列出 {'、'.join(REGION_LEVELS[1:])} 中的"
                            f"一项或几项，现为 {list(reporting.levels)!r}。")
    if reporting.lock_level not in REGION_LEVELS:
        raise SettingsError(f"设置项 reporting.lock_level 应为 {'、'.join(REGION_LEVELS)} 之一，"
                            f"现为 {reporting.lock_level!r}。")
    dates = {"reporting.deadline": reporting.deadline} | {
        f"reporting.deadlines.{outline}": text for outline, text in reporting.deadlines.items()}
    for key, text in dates.items():
        try:
            dt.datetime.strptime(f"2023-{text}", "%Y-%m-%d")
        except ValueError:
            raise SettingsError(f"设置项 {key} 应为月-日，如 \"03-31\"，现为 {text!r}。") from None
    if reporting.rollup_tolerance_share >= 1:
        raise SettingsError("设置项 reporting.rollup_tolerance_share 应小于 1，"
                            f"现为 {reporting.rollup_tolerance_share}。")


def check_time_zone(name: str) -> None:
    """An IANA zone name such as Asia/Shanghai."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise SettingsError(f"设置项 store.time_zone 应为时区名，如 Asia/Shanghai，"
                            f"现为 {name!r}。") from exc


def key_path(section: str, name: str) -> str:
    """evaluation + staleness_years → evaluation.staleness_years."""
    return f"{section}.{name}" if section else name
