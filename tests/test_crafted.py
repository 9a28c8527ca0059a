"""Crafted and hostile text: reading grows linearly with the text, a report that reads too long
is given up with the step it ran out in, and small slips of hostile input (scientific notation,
negative counts, mojibake, truncated UTF-16, control characters) give nothing false."""

from __future__ import annotations

import dataclasses
import shutil
import time

import pytest

from auditor.errors import ConfigError
from auditor.extract import budget as budget_module
from auditor.extract.budget import Budget, OutOfTime
from auditor.ingest.discover import InputFile
from auditor.pipeline import read_reports
from auditor.process import process_file, read_text
from bench.crafted import CASES, qizhong_list
from tests.conftest import ROOT, whole_report

PASSAGE = "2021年,全县共收到行政复议申请52件,依法受理47件,不予受理4件。"


def _with_budget(config, seconds):
    return dataclasses.replace(config, thresholds=dataclasses.replace(config.thresholds, reading_budget_seconds=seconds))


# --- linear reading ------------------------------------------------------------------------

@pytest.mark.parametrize("build", list(CASES.values()), ids=list(CASES))
def test_a_crafted_text_reads_in_time_linear_in_its_size(config, build):
    """60 KB of one endless sentence of figures: before reading was linear, a 其中 list of this
    kind took minutes at 25 KB (every 其中 scanned every figure before it, and their sums)."""
    start = time.perf_counter()
    record = read_text(build(60), {"report": "crafted.txt"}, config)
    assert time.perf_counter() - start < 20
    assert record.n_facts > 1000


def test_a_long_qizhong_list_still_checks_its_total(config):
    """The windows that keep reading linear leave a real list alone: 其中 after a total."""
    text = whole_report("全年共收到申请100件,其中受理90件,不予受理20件。")
    record = read_text(text, {"report": "r.txt"}, config)
    ops = [(op, stated) for op, stated in zip(record.relations["op"], record.relations["stated_expr"])]
    assert any(op in ("le", "eq") and "100件" in stated for op, stated in ops)


# --- the time budget ---------------------------------------------------------------------------

def test_a_report_past_its_budget_is_given_up_naming_the_step(tmp_path, config):
    path = tmp_path / "slow.txt"
    path.write_text(whole_report(PASSAGE), encoding="utf-8")
    record = process_file(InputFile(path, "slow.txt"), _with_budget(config, 1e-9))
    assert record.document["status"] == "error"
    assert "time budget of 1e-09 s" in record.document["reason"]
    assert "ran out in: " in record.document["reason"]
    assert record.facts is None


def test_the_run_goes_on_after_a_report_that_ran_out(tmp_path, config, monkeypatch):
    """A clock that moves one second a check: the crafted report's thousands of checks in the
    relation readers' loops pass a budget of 200 s, the ordinary report's few dozen do not."""
    ticks = iter(range(10**9))
    monkeypatch.setattr(budget_module, "_now", lambda: float(next(ticks)))
    (tmp_path / "a crafted.txt").write_text(qizhong_list(30), encoding="utf-8")
    (tmp_path / "b ordinary.txt").write_text(whole_report(PASSAGE), encoding="utf-8")
    records = read_reports([tmp_path], _with_budget(config, 200), jobs=1)
    by_name = {r.document["report"].rsplit("/", 1)[-1]: r for r in records}
    crafted, ordinary = by_name["a crafted.txt"], by_name["b ordinary.txt"]
    assert crafted.document["status"] == "error"
    assert "ran out in: relations: breakdowns" in crafted.document["reason"]
    assert ordinary.document["status"] == "ok" and ordinary.n_relations >= 1


def test_a_budget_that_is_not_exceeded_changes_nothing(config):
    text = whole_report(PASSAGE)
    plain = read_text(text, {"report": "r.txt"}, config)
    timed = read_text(text, {"report": "r.txt"}, config, budget=Budget(3600))
    assert plain.relations == timed.relations
    assert [repr(v) for v in plain.facts.values()] == [repr(v) for v in timed.facts.values()]  # NaN != NaN


def test_the_budget_raises_once_its_time_is_past():
    now = [0.0]
    budget = Budget(5, clock=lambda: now[0])
    budget.check("figures")
    now[0] = 5.5
    with pytest.raises(OutOfTime, match="ran out in: labels"):
        budget.check("labels")
    Budget(None, clock=lambda: 1e12).check("anything")  # no budget: never runs out


@pytest.mark.parametrize("value", ["0", "-1", "'sixty'", "true", ".inf"])
def test_a_budget_that_is_no_positive_number_is_refused(tmp_path, value):
    from auditor.config import load_config

    folder = tmp_path / "expectations"
    shutil.copytree(ROOT / "expectations", folder)
    thresholds = folder / "thresholds.yaml"
    text = thresholds.read_text(encoding="utf-8").replace("budget_seconds: 60", f"budget_seconds: {value}")
    thresholds.write_text(text, encoding="utf-8")
    # an infinite number is refused before the budget's own check, by the check of every number
    with pytest.raises(ConfigError, match=r"reading\.budget_seconds (must be a positive number|is \.inf .*finite)"):
        load_config(folder)


def test_the_budget_is_read_from_thresholds(config):
    assert config.thresholds.reading_budget_seconds == 60


# --- small slips of hostile input ------------------------------------------------------------

def _figures(config, passage):
    from auditor.extract.figures import extract_figures

    return [(f.text, f.kind) for f in extract_figures(passage, config.vocabulary, config.thresholds)]


@pytest.mark.parametrize("passage", ["其中受理1e308件。", "其中受理1.5E3件,", "共2e5人次参加", "数值为3.2e-4。"])
def test_a_number_in_scientific_notation_is_no_figure(config, passage):
    assert _figures(config, passage) == []


def test_scientific_notation_gives_no_false_bound(config):
    text = whole_report("全年共收到行政复议申请5件,其中受理1e308件,不予受理1件。")
    record = read_text(text, {"report": "r.txt"}, config)
    assert not any("308" in expr for expr in record.relations["computed_expr"])


@pytest.mark.parametrize("passage, figures", [
    ("全县编号A-5件", [("5件", "count")]),          # a code: A-5
    ("COVID-19病例3例", [("19", "number"), ("3", "number")]),
    ("全县共受理案件-5件", [("-5件", "count")]),   # a negative count, RANGE005's to flag
    ("全县共受理案件3-5件", [("3", "number"), ("5件", "count")]),
])
def test_a_hyphen_after_a_letter_or_digit_is_no_minus(config, passage, figures):
    assert _figures(config, passage) == figures


def _decode(data):
    from auditor.ingest.decode import decode_bytes

    return decode_bytes(data)


KOREAN = "대한민국 정부는 2021년 행정심판 사건 52건을 접수하였으며, 이 중 47건을 처리하였다. 국민의 권리를 보호하기 위하여 노력합니다. "
JAPANESE = "2021年度において、行政不服審査の申立ては52件であり、そのうち47件を処理しました。国民の権利を保護するために努力しています。"
CHINESE = "2021年,全县共收到行政复议申请52件,依法受理47件,不予受理4件;审结45件,尚在审理3件。县政府常务会议专题研究法治政府建设工作。"


@pytest.mark.parametrize("text, codec", [(KOREAN * 12, "euc-kr"), (JAPANESE * 10, "shift_jis"),
                                         (JAPANESE * 10, "cp932")])
def test_korean_and_japanese_text_is_refused_not_read_as_mojibake(text, codec):
    from auditor.ingest.decode import DecodeError

    with pytest.raises(DecodeError, match="not Chinese text"):
        _decode(text.encode(codec))


@pytest.mark.parametrize("text", [CHINESE * 10, CHINESE.replace("县", "縣").replace("务", "務") * 10, CHINESE])
def test_chinese_in_gb18030_is_still_read(text):
    assert _decode(text.encode("gb18030")).text == text


@pytest.mark.parametrize("codec, bom", [("utf-16-le", b""), ("utf-16-be", b""), ("utf-16-le", b"\xff\xfe"),
                                        ("utf-16-be", b"\xfe\xff")])
def test_a_truncated_utf16_file_is_read_less_its_odd_byte(codec, bom):
    data = bom + CHINESE.encode(codec)
    assert _decode(data[:-1]).text == CHINESE[:-1]
    assert _decode(data + b"\x41").text == CHINESE


def test_control_characters_become_spaces_one_for_one(config):
    text = "全年共收到行政复议申请\x0052件,依法受理\x1b[31m47件\x07。\n\t第二行" + CHINESE * 3
    decoded = _decode(text.encode("utf-8")).text
    assert len(decoded) == len(text)
    assert decoded == "全年共收到行政复议申请 52件,依法受理 [31m47件 。\n\t第二行" + CHINESE * 3


def test_no_label_or_quote_carries_a_nul_or_an_escape(tmp_path, config):
    path = tmp_path / "controls.txt"
    path.write_bytes(whole_report("全年共收到行政复议申请\x0052件,依法\x1b[2J受理47件,不予受理4件。").encode("utf-8"))
    record = process_file(InputFile(path, "controls.txt"), config)
    assert record.document["status"] == "ok" and record.n_facts
    for column in ("label", "text", "sentence"):
        assert not any(c in value for value in record.facts[column] for c in "\x00\x1b")
    quotes = [q["text"] for evidence in record.relations["evidence"] for q in evidence]
    assert quotes and not any(c in quote for quote in quotes for c in "\x00\x1b")
