"""The catalogue of upload problems: stable codes, severity, and a Chinese message and hint
template each. Tests and the JSON output use the codes; people read the messages."""
from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR, WARNING = "error", "warning"

# code: (severity, short title for counts by kind, message template, hint template)
CATALOGUE = {
    "unreadable-file": (ERROR, "文件无法读取", "{detail}",
                        "请另存为 .xlsx 或“CSV UTF-8”后重试。"),
    "file-too-large": (ERROR, "文件过大", "{detail}",
                       "请删除无关的工作表和空白区域，或把数据拆成几个文件分别上传。"),
    "sheet-too-large": (ERROR, "工作表过大",
                        "工作表「{sheet}」的数据区域为 {extent}（{rows} 行 × {columns} 列），"
                        "超过上限（{limit}）。",
                        "请删除表格右侧和下方无关的内容（包括远处单元格中的空格或格式），"
                        "或把数据拆成几个文件分别上传。"),
    "cell-too-long": (ERROR, "单元格内容过长", "单元格内容超过 {limit} 个字符。",
                      "请检查该单元格：数据表中的单元格不会这样长，可能是文件格式有误。"),
    "reading-timeout": (ERROR, "读取超时", "读取文件超过 {seconds} 秒，已停止。",
                        "请删除无关的工作表和空白区域，或把数据拆成几个文件分别上传。"),
    "reading-busy": (ERROR, "服务器忙", "服务器正在读取其他文件，{seconds} 秒内未能开始读取本文件。",
                     "请稍后重新上传。"),
    "reading-memory": (ERROR, "读取所需内存过多",
                       "读取并检查该文件所需的内存超过上限（{limit} MB），已停止。",
                       "请删除无关的工作表和空白区域，或把数据拆成几个文件分别上传。"),
    "formula-not-calculated": (ERROR, "公式未计算",
                               "单元格 {cell} 是公式，但文件中没有保存计算结果，无法读取数值。",
                               "该文件可能由程序生成、从未在 Excel 中打开过：请用 Excel 或 WPS "
                               "打开文件、保存后重新上传。"),
    "unclosed-quote": (ERROR, "引号未闭合",
                       "本行的引号（\"）没有闭合，之后的 {lines} 行都被读进了同一个单元格。",
                       "请删除或补全该引号后重新保存；在 Excel 中另存为“CSV UTF-8”可避免此问题。"),
    "odd-quote": (ERROR, "引号位置有误",
                  "单元格「{text}」的引号（\"）之后还有内容，读出的值会与所写的不同，无法确定原意。",
                  "引号若是内容的一部分，请把整个单元格用引号括起，并把其中的引号写两遍（\"\"）；"
                  "否则请删除引号。在 Excel 中另存为“CSV UTF-8”可避免此问题。"),
    "date-value": (ERROR, "数值是日期", "数值单元格是日期（{text}），不是数字。",
                   "Excel 会把 1-5、3/4 这类写法自动变成日期：请把该列设为“数值”格式后重新填写。"),
    "no-header": (ERROR, "找不到表头", "{detail}", "可下载模板对照表头。"),
    "repeated-column": (ERROR, "同类列重复",
                        "第{first}列「{first_heading}」和第{second}列「{second_heading}」都是{field}列，"
                        "无法确定应读取哪一列。",
                        "请删除多余的一列，或把不需要导入的列改名（例如改为“{field}（旧）”）。"),
    "stray-row": (ERROR, "数据中夹有非数据行",
                  "「{text}」所在行位于数据行之间，既不是数据，也不是表尾的表注或签名，未能读取。",
                  "表注、签名请放在全部数据之后；如为数据，请在同一行填齐指标、地区、年份和数值。"),
    "missing-region": (ERROR, "缺少地区", "表中没有地区列，也未指定默认地区。",
                       "请增加“地区”列，或在上传时选择数据所属地区。"),
    "unknown-indicator": (ERROR, "指标无法识别", "指标「{text}」不在指标目录中。",
                          "{suggestion}"),
    "indicator-mismatch": (ERROR, "指标代码与名称不符",
                           "指标代码「{written_code}」（{code_name}）与指标名称「{name}」不是同一指标。",
                           "请核对该行，使指标代码和指标名称指同一指标；不确定时可只填其中一个。"),
    "unknown-region": (ERROR, "地区无法识别", "地区「{text}」无法识别。",
                       "请填写六位行政区划代码或地区全称。"),
    "region-level-mismatch": (ERROR, "地区级别不符",
                              "地区「{text}」的“{suffix}”与{candidates}的级别不符，无法确定所指地区。",
                              "是否为：{candidates}？请填写地区全称或六位行政区划代码。"),
    "region-mismatch": (ERROR, "区划代码与地区名称不符",
                        "区划代码「{written_code}」（{code_name}）与地区名称「{name}」不是同一地区。",
                        "请核对该行，使区划代码和地区名称指同一地区；不确定时可只填其中一个。"),
    "ambiguous-region": (ERROR, "地区重名", "地区「{text}」有重名：{candidates}。",
                         "请改用行政区划代码，或增加“上级地区”列。"),
    "bad-year": (ERROR, "年份无效", "年份「{text}」无效。",
                 "年份应为1949年至{max_year}年之间的四位数字。"),
    "non-numeric": (ERROR, "数值不是数字", "数值「{text}」不是数字。",
                    "请只填数字，可带 %、‰、/10万 等单位；缺失请留空或填“—”。"),
    "misgrouped-number": (ERROR, "分隔符含义不明",
                          "数值「{text}」中的逗号或空格不是三位一组的千位分隔，无法确定其含义。",
                          "小数请用小数点（如 1.5）；千位分隔须三位一组（如 1,234）；"
                          "请改正后重新上传。"),
    "non-finite-number": (ERROR, "数值过大", "数值「{text}」过大，无法作为数字保存。",
                          "请核对数值：可能多输入了数字，或把几个单元格粘贴到了一起。"),
    "unit-mismatch": (ERROR, "单位无法换算",
                      "数值「{text}」的单位为{written}，该指标的单位为{expected}，无法换算。",
                      "请按{expected}填写。"),
    "out-of-range": (ERROR, "数值超出合理范围", "数值「{text}」超出该指标的合理范围 [{low}, {high}]。",
                     "请核对数值和单位（例如百分比不能超过100）。"),
    "duplicate-key": (ERROR, "重复数据", "与第{first_row}行重复：同一指标、地区、年份出现两次。",
                      "请删除重复行，只保留一个数值。"),
    "out-of-scope": (ERROR, "无权上传该地区", "无权上传「{text}」的数据。",
                     "只能上传本人负责地区及其下级地区的数据。"),
    "count-incomplete": (ERROR, "分子分母不全", "只填了分子、分母之一，缺{missing}。",
                         "分子和分母须同时填写，或都不填。"),
    "bad-count": (ERROR, "分子分母无效", "分子「{numerator}」、分母「{denominator}」不是有效的计数。",
                  "请只填数字（不带单位）：分子不小于0，分母大于0。"),
    "count-not-rate": (ERROR, "该指标不用分子分母", "该指标的单位为{unit}，不是比率，不能填分子、分母。",
                       "请删除该行的分子、分母。"),
    "count-mismatch": (ERROR, "数值与分子分母不符",
                       "数值「{text}」与分子{numerator}、分母{denominator}算得的{computed}{unit}不符。",
                       "请核对数值、分子、分母和单位（如孕产妇死亡率的分母为活产数，单位为1/10万）。"),
    "counts-in-wide-sheet": (ERROR, "分子分母须为长表", "按年份或地区排列的表不能带“{field}”列。",
                             "请改用长表（指标、地区、年份、数值、分子、分母各一列）上传。"),
    "locked-period": (ERROR, "数据已锁定",
                      "{region}{year}年的数据（{outline}）已由{locked_by}于{locked_at}锁定，不能导入或修改。",
                      "请从文件中删除这些行；确需更正的，请联系管理员解锁该报送期。"),
    "not-extraction-file": (ERROR, "不是提取结果文件", "{detail}",
                            "请使用 python -m metrics extract 报告文件 --format json 生成的文件；"
                            "手工修改后请确认它仍是有效的 JSON（UTF-8）。"),
    "bad-candidate": (ERROR, "候选数值格式有误", "第{number}个候选数值的「{field}」{detail}。",
                      "请按 extract --format json 的格式改正：indicator_code、unit、region_code、"
                      "sentence 为文字，value 为数字，year 为整数年份，derived 为 true 或 false；"
                      "不导入的候选数值可整条删除。"),
    "year-jump": (WARNING, "较上年变化过大",
                  ("{indicator}（{region}）{year}年为{value}，"
                   "较上一年（{previous_year}年 {previous}）变化过大。"),
                  "请核对；如确属实，可照常导入。"),
    "unit-converted": (WARNING, "单位已换算",
                       "数值「{text}」的单位为{written}，已换算为该指标的单位{expected}：{value}。",
                       "如单位写错（例如把‰写成了%），请改正后重新上传。"),
    "no-target": (WARNING, "指标无目标值", "指标「{text}」没有设定目标值，仅作监测。", ""),
}


@dataclass(frozen=True)
class Problem:
    """One problem, located where a person sees it: Excel row and column heading."""
    row: int | None
    column: str
    code: str
    severity: str
    message: str
    hint: str

    def as_dict(self) -> dict:
        return asdict(self)


def title(code: str) -> str:
    """The short Chinese name of a problem code, for counting problems by kind."""
    return CATALOGUE[code][1]


def problem(code: str, row: int | None, column: str, **fields) -> Problem:
    """A problem from the catalogue, its templates filled with `fields`."""
    severity, _, message, hint = CATALOGUE[code]
    return Problem(row=row, column=column, code=code, severity=severity,
                   message=message.format(**fields), hint=hint.format(**fields))
