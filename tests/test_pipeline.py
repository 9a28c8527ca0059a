"""The library path end to end: stable flag ids, HTML and encodings giving the same flags."""

from __future__ import annotations

import gc
import html
import json
import subprocess
import sys

import pytest

from auditor.pipeline import audit
from auditor.speed import no_cyclic_gc
from tests.conftest import SEEDS

HENGXIAN = SEEDS / "000_bffc2002e0c26100.txt"


def flags_of(path, config):
    return audit([path], config).flags


def keyed(flags):
    return {(f.rule, f.observed): f for f in flags}


@pytest.fixture(scope="module")
def original(config):
    return flags_of(HENGXIAN, config)


def test_ids_are_unique_and_stable_across_runs(config, original):
    assert len({f.id for f in original}) == len(original)
    assert [f.id for f in flags_of(HENGXIAN, config)] == [f.id for f in original]


def test_ids_survive_unrelated_edits(tmp_path, config, original):
    text = HENGXIAN.read_text(encoding="utf-8")
    edited = tmp_path / HENGXIAN.name
    edited.write_text("\n" + text.replace("一、主要举措和成效", "一、主要举措和成效\n(新增说明段落。)"), encoding="utf-8")
    before, after = keyed(original), keyed(flags_of(edited, config))
    assert before.keys() == after.keys()
    for key in before:
        assert before[key].id == after[key].id
        assert before[key].evidence[0].line != after[key].evidence[0].line


def test_ids_change_when_the_figures_change(tmp_path, config, original):
    changed = tmp_path / HENGXIAN.name
    changed.write_text(HENGXIAN.read_text(encoding="utf-8").replace("调解成功3334件", "调解成功3330件"), encoding="utf-8")
    old = {f.rule: f.id for f in original if f.rule == "RATE001"}
    new = {f.rule: f.id for f in flags_of(changed, config) if f.rule == "RATE001"}
    assert old.keys() == new.keys() and old != new


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "utf-16"])
def test_other_encodings_give_the_same_flags(tmp_path, config, original, encoding):
    copy = tmp_path / HENGXIAN.name
    copy.write_bytes(HENGXIAN.read_text(encoding="utf-8").replace("\n", "\r\n").encode(encoding))
    assert [(f.rule, f.message) for f in flags_of(copy, config)] == [(f.rule, f.message) for f in original]


def test_html_report_is_read_without_its_scripts_and_chrome(tmp_path, config):
    page = tmp_path / "report.html"
    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in HENGXIAN.read_text(encoding="utf-8").splitlines() if line)
    page.write_text(
        "<html><head><title>横县2020年度法治政府建设情况报告</title>"
        "<script>var total = 99999件; document.write('调解成功率为1%');</script>"
        "<style>.x{width:100%}</style></head><body><div class='nav'>您当前的位置:首页>政务公开</div>"
        f"{body}<div>扫一扫在手机打开当前页</div></body></html>",
        encoding="utf-8",
    )
    result = audit([page], config)
    assert {f.rule for f in result.flags} == {"DATE001", "ARITH001", "RATE001"}
    facts = result.frames.facts
    assert not facts["text"].str.contains("99999").any()
    source = page.read_text(encoding="utf-8").splitlines()
    for flag in result.flags:
        line = flag.evidence[0].line
        assert flag.evidence[0].text[:10] in html.unescape(source[line - 1])


def test_the_cyclic_collector_is_off_only_inside_no_cyclic_gc():
    assert gc.isenabled()
    with no_cyclic_gc():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with no_cyclic_gc():
            pass
        assert not gc.isenabled()  # the state it found, restored
    finally:
        gc.enable()


def test_the_console_script_audits_alike_with_hypothesis_unseen(original):
    """auditor.speed.hypothesis_unseen: pandera, without Hypothesis, validates the frames as with it."""
    code = ("import json, sys; from auditor.speed import hypothesis_unseen; hypothesis_unseen()\n"
            "from auditor.config import load_config; from auditor.pipeline import audit\n"
            "flags = audit([sys.argv[1]], load_config()).flags\n"
            "try:\n    import hypothesis\nexcept ImportError:\n    seen = False\nelse:\n    seen = True\n"
            "print(json.dumps({'ids': [f.id for f in flags], 'seen': seen,"
            " 'validated': 'pandera.backends.pandas.builtin_checks' in sys.modules}))")
    run = subprocess.run([sys.executable, "-c", code, str(HENGXIAN)], capture_output=True, text=True, check=True)
    outcome = json.loads(run.stdout)
    assert outcome == {"ids": [f.id for f in original], "seen": False, "validated": True}
