"""The problems a plan's indicator table can have, beside those it shares with data uploads
(unknown-indicator, unit-mismatch, out-of-range, no-header): stable codes, Chinese messages
and hints, located by Excel row and column heading like an upload's."""
from __future__ import annotations

from metrics.uploads import problems as upload_problems
from metrics.uploads.problems import ERROR, WARNING, Problem

TARGET_FORMS = "「≥95%」「95%以上」「控制在12/10万以下」「保持在45%左右」「逐步提高」「较2020年下降20%」"
CATALOGUE = {
    "unreadable-target": (ERROR, "目标值无法识别", "目标值「{text}」无法识别。",
                          f"请写成 {TARGET_FORMS} 等形式，一格只写一个指标的目标。"),
    "target-against-direction": (ERROR, "目标与指标方向不符",
                                 "目标「{text}」要求{asked}，但「{indicator}」{direction}。",
                                 "请核对目标值的写法（以上/以下）或所填指标。"),
    "not-in-outline": (ERROR, "指标不在上级纲要中",
                       "「{text}」（{indicator}）不是《{outline}》的监测指标。",
                       "本规划只能设定上级纲要所列指标的目标；本地自设的指标请用其他名称，并填写“单位”。"),
    "duplicate-indicator": (ERROR, "指标重复", "「{indicator}」已在第{first_row}行填写。",
                            "每个指标只填一行；请删除或合并重复的行。"),
    "bad-target-year": (ERROR, "目标年份无效", "目标年份「{text}」无效。",
                        "应为规划期内的年份（{start}—{end}年），或留空取规划的目标年份{end}年。"),
    "base-year-mismatch": (ERROR, "基数年份与规划基线不符",
                           "目标以{base}年为基数，本规划的基线年份为{baseline}年。",
                           "降幅目标按规划基线年份计算；请核对目标或上级规划。"),
    "local-indicator-incomplete": (
        ERROR, "本地指标定义不全", "「{text}」不在指标目录中；作为本规划的本地指标，还缺少{missing}。",
        "本规划自设的指标请填写“单位”和“指标方向”（越高越好/越低越好），或写明方向的目标值（如「≥90%」）；"
        "所属领域取“领域”列或上方的领域标题行（如「四、妇女参与决策和管理」）。"),
    "local-indicator-refused": (ERROR, "本地指标无法定义", "「{text}」：{reason}", "{hint}"),
    "local-indicator-new": (WARNING, "新的本地指标", "「{text}」不在指标目录中，将作为本规划的本地指标"
                            "{local_code}保存。", "如本应是目录中的指标，请改用目录中的名称。"),
    "no-targets": (WARNING, "未设定任何目标", "表中没有填写任何目标值或责任单位。",
                   "留空的指标沿用上级规划的目标；如需设定本地目标，请填写“目标值”列。"),
}


def problem(code: str, row: int | None, column: str, **fields) -> Problem:
    """A problem of this catalogue, else of the upload catalogue, its templates filled."""
    if code not in CATALOGUE:
        return upload_problems.problem(code, row, column, **fields)
    severity, _, message, hint = CATALOGUE[code]
    return Problem(row=row, column=column, code=code, severity=severity,
                   message=message.format(**fields), hint=hint.format(**fields))


def title(code: str) -> str:
    """The short Chinese name of a problem code of this catalogue or the upload one."""
    return CATALOGUE[code][1] if code in CATALOGUE else upload_problems.title(code)
