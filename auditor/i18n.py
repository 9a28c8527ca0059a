"""The words auditor's outputs use for severities, categories and review states, in zh and en,
and the width text takes in a terminal or a spreadsheet column (a CJK character takes two).

The rules' own titles and texts are in expectations/rules.yaml; these are the tool's words.
"""

from __future__ import annotations

import unicodedata

LANGS = ("zh", "en")

SEVERITY_WORDS = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}
CATEGORY_WORDS = {
    "zh": {"arithmetic": "算术", "bound": "上限", "rate": "比率", "range": "取值范围", "date": "日期",
           "consistency": "一致性", "template": "公开模板", "document": "文档", "input": "输入"},
    "en": {},  # the category's own name
}
# A flag's review state (auditor.review): open, reviewed in the workbook, or accepted in the baseline.
STATE_WORDS = {
    "zh": {"open": "待核实", "reviewed": "已审核", "baselined": "已基线"},
    "en": {"open": "open", "reviewed": "reviewed", "baselined": "baselined"},
}
# The kinds of figure (facts.csv's kind), for the workbook's 数据.
KIND_WORDS = {
    "zh": {"count": "计数", "money": "金额", "rate": "比率", "percent": "百分数", "change": "变化", "measure": "度量",
           "ratio": "比例", "number": "数字", "name": "名称", "section": "章节", "year": "年份", "date": "日期",
           "docno": "文号", "ordinal": "序数", "period": "期间", "time": "时间", "slogan": "口号"},
    "en": {},
}
# The kinds of report (documents' report_kind), as report.html's title names them.
REPORT_KIND_WORDS = {
    "zh": {"rule_of_law": "法治政府建设年度报告", "disclosure": "政府信息公开工作年度报告", "work_report": "政府工作报告",
           "other": "年度报告"},
    "en": {"rule_of_law": "rule-of-law reports", "disclosure": "information-disclosure reports",
           "work_report": "government work reports", "other": "annual reports"},
}
ENABLED_WORDS = {"zh": {True: "启用", False: "停用"}, "en": {True: "on", False: "off"}}


def severity_word(severity: str, lang: str) -> str:
    return SEVERITY_WORDS.get(lang, {}).get(severity, severity)


def category_word(category: str, lang: str) -> str:
    return CATEGORY_WORDS.get(lang, {}).get(category, category)


def state_word(state: str, lang: str) -> str:
    return STATE_WORDS.get(lang, {}).get(state, state)


def display_width(text: str) -> int:
    """Columns TEXT takes in a terminal: two for a wide (CJK) character, one for any other."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """TEXT followed by spaces up to WIDTH columns."""
    return text + " " * max(0, width - display_width(text))


def clip(text: str, width: int) -> str:
    """TEXT cut to WIDTH columns, ending in … when cut."""
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"
