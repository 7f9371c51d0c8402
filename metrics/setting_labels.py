"""The Chinese name of every setting in data/settings.yaml (metrics/settings.py defines them),
and of the coded values some take, for wherever a setting is shown to people: the audit log's
「设置变更」 entries name 会话空闲超时（分钟）, not access.idle_minutes.

A setting added to settings.py without a name here is shown by its key, and
tests/test_settings.py fails until it has one.
"""
from __future__ import annotations

from metrics.regions import LEVEL_LABELS

LABELS = {
    "demo.show": "显示演示数据",
    "store.busy_timeout_seconds": "数据库繁忙时的等待时间（秒）",
    "store.time_zone": "时区",
    "evaluation.around_tolerance_points": "“约”目标的容差（百分比指标，百分点）",
    "evaluation.around_tolerance_share": "“约”目标的容差（其他指标，占目标值的比例）",
    "evaluation.basically_points": "基本达标的容差（百分比指标，百分点）",
    "evaluation.basically_share": "基本达标的容差（其他指标，占目标值的比例）",
    "evaluation.staleness_years": "数据时效（年，更早的最新值视为缺失）",
    "evaluation.baseline_window": "基线值可取基线年前后的年数",
    "evaluation.direction_min_change_share": "方向性目标视为持平的变化比例",
    "evaluation.projection_points": "趋势外推所用的最近数据点数",
    "evaluation.projection_min_points": "趋势外推至少需要的数据点数",
    "evaluation.small_count": "基数小的事件数界限",
    "evaluation.small_denominator": "基数小的分母界限（百分比指标）",
    "evaluation.default_method": "默认评估方法",
    "upload.jump_factor": "与上年相比提示跳变的倍数",
    "upload.max_inflated_mb": "工作簿解压后的最大容量（MB）",
    "upload.max_compression_ratio": "工作簿的最大压缩比",
    "upload.max_cells_per_sheet": "每张工作表最多读取的单元格数",
    "upload.max_columns": "每张工作表最多读取的列数",
    "upload.max_cell_chars": "每个单元格最多字符数",
    "upload.max_read_seconds": "读取一个文件的最长时间（秒）",
    "upload.max_read_memory_mb": "读取一个文件的最大内存（MB）",
    "access.idle_minutes": "会话空闲超时（分钟）",
    "access.failure_window_minutes": "登录失败的计数时段（分钟）",
    "access.slow_after_failures": "登录失败几次后放慢应答",
    "access.slow_seconds": "放慢应答的时间（秒）",
    "access.lock_after_failures": "同一用户登录失败几次后锁定",
    "access.address_lock_after_failures": "同一地址登录失败几次后锁定",
    "access.lock_minutes": "锁定时长（分钟）",
    "access.public_mode": "公开模式（免登录只读）",
    "access.public_regions": "公开的地区",
    "access.public_outlines": "公开的纲要",
    "reporting.levels": "报送数据的地区层级",
    "reporting.lock_level": "可锁定数据的最低层级",
    "reporting.deadline": "报送截止日期（数据年份次年，月-日）",
    "reporting.deadlines": "各纲要自己的报送截止日期",
    "reporting.rollup_tolerance_share": "汇总核对的容差（比例）",
}
# Settings holding one entry per method or per outline: the part after the prefix is the code.
METHOD_NAMES = {"linear": "直线进度法", "cagr": "年均增长率比法", "projection": "趋势外推法",
                "sdsn": "SDSN趋势法"}
CUT_NAMES = {"on_track": "进度正常的界值", "at_risk": "需关注的界值"}
METHOD_PREFIX = "evaluation.methods."
DEADLINE_PREFIX = "reporting.deadlines."
# Coded values shown by their names; outlines by the names the catalogue gives them.
VALUE_NAMES = {"evaluation.default_method": METHOD_NAMES, "reporting.levels": LEVEL_LABELS,
               "reporting.lock_level": LEVEL_LABELS,
               "store.time_zone": {"Asia/Shanghai": "北京时间"}}
OUTLINE_VALUED = {"access.public_outlines"}


def label(key: str, plan_names: dict[str, str] | None = None) -> str:
    """The Chinese name of a setting by its key (evaluation.methods.sdsn.at_risk →
    SDSN趋势法需关注的界值; reporting.deadlines.<outline> with the outline's name from
    plan_names, id → short name); the key itself when it has none."""
    if key in LABELS:
        return LABELS[key]
    if key.startswith(METHOD_PREFIX):
        method, _, cut = key.removeprefix(METHOD_PREFIX).partition(".")
        if method in METHOD_NAMES and cut in CUT_NAMES:
            return METHOD_NAMES[method] + CUT_NAMES[cut]
    if key.startswith(DEADLINE_PREFIX):
        outline = key.removeprefix(DEADLINE_PREFIX)
        return f"报送截止日期（{(plan_names or {}).get(outline, outline)}）"
    return key


def is_setting(key: str) -> bool:
    """Whether a key names a setting (section.name), as the audit stores them."""
    return label(key) != key


def value_text(key: str, value: object, plan_names: dict[str, str] | None = None) -> str | None:
    """A coded value by its name (linear → 直线进度法, county → 县级, an outline id by its
    name in plan_names); None when the setting's values are not codes or the code is
    unknown."""
    if not isinstance(value, str):
        return None
    names = (plan_names or {}) if key in OUTLINE_VALUED else VALUE_NAMES.get(key, {})
    return names.get(value)
