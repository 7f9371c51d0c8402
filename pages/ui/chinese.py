"""Chinese throughout (issue 11 §6). Streamlit 1.67 has no locale setting and its own texts are
English: the uploader's 「Upload」 and 「50MB per file」, the table toolbar's 「Download as CSV」,
「Choose an option」, Plotly's modebar. What the product can set it sets in Chinese (labels,
help, placeholders, the font in .streamlit/config.toml); the rest is replaced in the browser
by zh_cn.js, from the table below, wherever and whenever Streamlit writes it (tooltips and
menus appear only on hover or click). CSS `::after` patches on data-testids would cover only
the elements named, and break silently when Streamlit renames one; a text the table misses
stays visible and the browser test names it."""
from __future__ import annotations

import json
from pathlib import Path

SCRIPT = Path(__file__).with_name("zh_cn.js")

# Streamlit's and Plotly's English texts, as they appear, and their Chinese.
EXACT = {
    # file uploader
    "Upload": "上传文件", "Browse files": "选择文件", "Drag and drop file here": "将文件拖到此处",
    "Drag and drop files here": "将文件拖到此处", "file upload": "上传文件",
    "Remove file": "移除文件", "Delete": "删除",
    # selects
    "Choose an option": "请选择", "Choose options": "请选择", "Select all": "全选",
    "Clear all": "全部清除", "Selected values": "已选", "No results": "无匹配项",
    "Open": "展开", "Close": "关闭", "Clear value": "清除", "Select...": "请选择",
    # tables
    "Show/hide columns": "显示/隐藏列", "Download as CSV": "下载 CSV", "Search": "搜索",
    "Fullscreen": "全屏", "Exit fullscreen": "退出全屏", "Close fullscreen": "退出全屏",
    "Sort ascending": "升序", "Sort descending": "降序", "Pin column": "固定列",
    "Unpin column": "取消固定", "Hide column": "隐藏列", "Autosize": "自动列宽",
    "Format": "格式", "Add row": "添加行", "Delete row": "删除行", "Delete rows": "删除行",
    "Type to search": "输入以搜索", "Copy to clipboard": "复制",
    "Increment": "加一", "Decrement": "减一",
    # page frame
    "Sidebar": "侧边栏", "Collapse sidebar": "收起侧边栏", "Expand sidebar": "展开侧边栏",
    "Skip to main content": "跳到正文", "Link to heading": "标题链接", "Main menu": "主菜单",
    "Running...": "正在运行…", "Stop": "停止", "Dismiss": "关闭", "Help": "说明",
    "Copy": "复制", "Copied": "已复制",
    # Plotly's modebar
    "Download plot as a PNG": "下载图片（PNG）", "Download plot as a png": "下载图片（PNG）",
    "Zoom": "缩放", "Pan": "平移", "Zoom in": "放大", "Zoom out": "缩小",
    "Autoscale": "自动缩放", "Reset axes": "重置坐标轴", "Box Select": "框选",
    "Lasso Select": "套索选择", "Reset view": "重置视图", "Toggle Spike Lines": "显示/隐藏参考线",
    "Show closest data on hover": "悬停显示最近的数据", "Compare data on hover": "悬停比较数据",
    "Double-click to zoom back out": "双击还原",
}
# Texts with a part of their own (a label, a size): a regular expression and its Chinese.
PATTERNS = [
    (r"^(\d+(?:\.\d+)?\s*[KMG]B) per file$", r"每个文件不超过 $1"),
    (r"^Limit (\d+(?:\.\d+)?\s*[KMG]B) per file", r"每个文件不超过 $1"),
    (r"^Help for (.+)$", r"“$1”的说明"),
    (r"^Remove (.+)$", r"移除“$1”"),
    (r"^(.+) — start$", r"$1（起）"),
    (r"^(.+) — end$", r"$1（止）"),
    # what a select tells a screen reader
    (r"^(\d+) options? available\.?$", r"共 $1 项可选。"),
    (r"^(\d+) results? available\.?$", r"共 $1 项匹配。"),
    (r"^option (.+), selected\.$", r"已选“$1”。"),
    (r"^option (.+), deselected\.$", r"已取消“$1”。"),
]


def script() -> str:
    """zh_cn.js with the table filled in."""
    return (SCRIPT.read_text(encoding="utf-8")
            .replace("__EXACT__", json.dumps(EXACT, ensure_ascii=False))
            .replace("__PATTERNS__", json.dumps(PATTERNS, ensure_ascii=False)))
