"""Reports in traditional script are read in simplified characters, offsets and quotes as they stand."""

from __future__ import annotations

from auditor.ingest.script import simplified
from auditor.process import read_text

SIMPLIFIED = ("全年共收到行政复议申请112件,其中受理101件,不予受理11件。审结行政复议案件92件,"
              "维持60件,驳回12件,撤销8件,纠错率为8.7%。各级人民调解组织共受理矛盾纠纷3,426件,调解成功3,334件。")
TRADITIONAL = ("全年共收到行政復議申請112件,其中受理101件,不予受理11件。審結行政復議案件92件,"
               "維持60件,駁回12件,撤銷8件,糾錯率為8.7%。各級人民調解組織共受理矛盾糾紛3,426件,調解成功3,334件。")


def _rows(record) -> list[tuple]:
    columns = record.relations
    return sorted(zip(columns["op"], columns["source"], columns["stated_lo"], columns["computed_lo"],
                      columns["computed_hi"]))


def test_a_traditional_report_yields_the_relations_of_its_simplified_twin(config):
    assert len(SIMPLIFIED) == len(TRADITIONAL)
    twin = read_text(SIMPLIFIED, {"report": "s.txt"}, config)
    traditional = read_text(TRADITIONAL, {"report": "t.txt"}, config)
    assert _rows(traditional) == _rows(twin) and _rows(twin)
    # metrics named from the simplified vocabulary: 審結 is concluded, 糾錯率 the correction rate
    assert dict(zip(traditional.facts["text"], traditional.facts["metric"]))["92件"] == "concluded"
    assert "correction_rate" in traditional.facts["metric"]


def test_quotes_stay_in_the_script_of_the_report(config):
    record = read_text(TRADITIONAL, {"report": "t.txt"}, config)
    quotes = [q["text"] for evidence in record.relations["evidence"] for q in evidence]
    assert quotes and all(q in TRADITIONAL for q in quotes)
    assert any("審結" in q for q in quotes)


def test_a_simplified_report_is_left_as_it_is(config):
    text = "乾隆年间的乾清宫。全年共收到行政复议申请52件,依法受理47件,不予受理4件。"
    assert simplified(text, config.vocabulary) == text  # OpenCC would make 乾 干


def test_conversion_keeps_every_offset(config):
    converted = simplified(TRADITIONAL * 3, config.vocabulary)
    assert converted != TRADITIONAL * 3 and len(converted) == len(TRADITIONAL * 3)
    assert "审结" in converted and "纠纷" in converted


def test_figures_keep_the_text_as_written(config):
    record = read_text(TRADITIONAL, {"report": "t.txt"}, config)
    facts = record.facts
    assert all(TRADITIONAL[start:end] == text for text, start, end in zip(facts["text"], facts["start"], facts["end"]))
