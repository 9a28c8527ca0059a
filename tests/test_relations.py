"""The relation readers on passages: 除…外 remainders, 另 completions, 分别 lists, review
outcomes and the correction rate, year-over-year changes and repeated metrics, and the
whole-number feasibility of rates and changes, shares that total 100% and restatements.

Each test reads a passage through the library (read_text) and looks at the relations it
produced; the rules they feed are exercised on the fixture passages of tests/fixtures/rules.
"""

from __future__ import annotations

import json
import shutil

import pytest

from auditor.config import load_config
from auditor.errors import ConfigError
from auditor.process import read_text
from tests.conftest import ROOT


def read(text: str, config):
    return read_text(text, {"report": "t.txt"}, config)


def relations(text: str, config, op: str | tuple[str, ...] | None = None, source: str | None = None) -> list[dict]:
    """The passage's relations as rows, optionally only one op (or any of several) or source."""
    columns = read(text, config).relations
    rows = [dict(zip(columns, values)) for values in zip(*columns.values())]
    ops = (op,) if isinstance(op, str) else op
    return [r for r in rows if (ops is None or r["op"] in ops) and (source is None or r["source"] == source)]


def metrics(text: str, config) -> dict[str, str]:
    """figure text -> metric, for the figures of a passage."""
    facts = read(text, config).facts
    return dict(zip(facts["text"], facts["metric"]))


def sides(row: dict) -> tuple[float, float, float, float]:
    return row["stated_lo"], row["stated_hi"], row["computed_lo"], row["computed_hi"]


# --- 除…外 remainders ------------------------------------------------------------------------

@pytest.mark.parametrize("text, whole, parts", [
    ("明确下放的82个事项,除因修法涉及林业部门的1个事项相应取消外,其他81个事项已完成交接。", 82, [1, 81]),
    ("全县共有行政执法单位45家,除2家单位因机构改革撤并、1家单位暂停执法外,其余42家均已完成公示。", 45, [2, 1, 42]),
    ("清理规范性文件120件,除了继续有效的95件以外,剩余25件全部废止。", 120, [95, 25]),
    ("全市60个村(社区)中,除3个村外,57个村已建成公共法律服务室。", 60, [3, 57]),
])
def test_remainder_reads_total_excepted_and_rest(config, text, whole, parts):
    [row] = relations(text, config, source="remainder")
    assert row["op"] == "eq"
    assert row["stated_lo"] == whole
    assert row["n_parts"] == len(parts)
    assert row["computed_lo"] == row["computed_hi"] == sum(parts)


@pytest.mark.parametrize("text", [
    "今年扫黑除恶共打掉涉黑组织3个,除此之外还查处案件12件。",        # 除恶, and 外 before 还
    "除1个乡镇外,全县17个乡(镇)均已完成承接。",                     # no total before 除
    "全县17个乡(镇)中,除1个乡镇外,其余均已完成承接。",               # no rest stated
    "清理规范性文件120件,除95件继续有效外,废止25件。",               # the rest is not right after 外
    "排除干扰因素3项外,共完成评估12项。",                             # 排除 is a word, not 除…外
])
def test_no_remainder_without_its_three_terms(config, text):
    assert relations(text, config, source="remainder") == []


# --- 另 completions --------------------------------------------------------------------------

@pytest.mark.parametrize("text, whole, parts", [
    ("共审结行政复议案件4件,1件已公开,另外3件无需公开。", 4, [1, 3]),
    ("共调处纠纷98件,婚姻家庭纠纷40件,邻里纠纷35件,另有其他纠纷23件。", 98, [40, 35, 23]),
    ("全年合计办理公证事项1,580件,民事公证1,200件,其余380件为经济类公证。", 1580, [1200, 380]),
    ("行政复议案件总数为36件,31件已审结,另外5件正在审理中。", 36, [31, 5]),
    ("全年共出庭应诉23次,负责人出庭20次,另外3次由副职出庭。", 23, [20, 3]),
    # no total word: the first figure, when the parts are named only after their figures
    ("审结行政复议案件6件,4件已公开,另2件涉及个人隐私不予公开。", 6, [4, 2]),
])
def test_completion_reads_total_parts_and_rest(config, text, whole, parts):
    [row] = relations(text, config, source="completion")
    assert row["op"] == "eq"
    assert row["stated_lo"] == whole
    assert row["n_parts"] == len(parts)
    assert row["computed_lo"] == sum(parts)


@pytest.mark.parametrize("text", [
    "共培训执法人员1200人次,组织考试300人次,另外开展专题讲座50人次。",    # another activity
    "全年共办理法律援助案件880件,为农民工讨薪案件120件,另有咨询300件。",  # another noun
    "共受理行政复议案件30件,审结28件;另外办理行政应诉案件12件。",          # past a semicolon
    "共收到行政复议申请52件,受理47件,另外办理行政应诉案件12件。",          # another family
    "刑事案件50件、民事案件30件,其他案件10件。",                            # a list with no total
    "全年共办理法律援助案件88件,办理法律咨询120件,另有3件转交。",         # a figure above the total
])
def test_no_completion_of_something_else(config, text):
    assert relations(text, config, source="completion") == []


def test_a_qizhong_list_ending_with_another_stays_a_qizhong_list(config):
    text = "2018年县政府需出庭参加行政诉讼共18次,其中行政机关负责人出庭16次,另两次因故未能出庭。"
    rows = relations(text, config)
    assert [(r["op"], r["source"], r["stated_lo"], r["computed_lo"]) for r in rows] == [("le", "qizhong", 18, 18)]


# --- 分别 lists ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("全年受理、办结行政复议案件分别为52件、50件。", {"52件": "accepted", "50件": "concluded"}),
    ("2022年,市政府收到和受理行政复议申请分别为86件和80件。", {"86件": "received", "80件": "accepted"}),
    ("全年行政复议案件受理数、审结数分别是64件和61件。", {"64件": "accepted", "61件": "concluded"}),
    # a name with no metric word of its own is read with the shared noun: 排查…矛盾纠纷
    ("各级调委会排查、调解成功矛盾纠纷分别达到1200件、1180件。", {"1200件": "cases", "1180件": "successes"}),
    ("调解成功率、结案率分别为98%、95%。", {"98%": "success_rate", "95%": "closure_rate"}),
])
def test_respective_list_names_each_figure_in_order(config, text, expected):
    assert {k: v for k, v in metrics(text, config).items() if k in expected} == expected


def test_respective_names_feed_bounds_and_rates(config):
    text = "各级调委会受理、调解成功矛盾纠纷分别为1,200件、1,180件,调解成功率98.3%。"
    bound = relations(text, config, source="bound:successes")
    rate = relations(text, config, source="rate:success_rate")
    assert [(r["stated_lo"], r["computed_lo"]) for r in bound] == [(1200, 1180)]
    assert rate and rate[0]["computed_expr"] == "调解成功1,180件 / 受理1,200件"


@pytest.mark.parametrize("text", [
    "共办理法律援助案件200件,其中刑事案件80件、民事案件110件,分别占40%、55%。",  # shares, not names
    "两级法院分别受理52件、50件。",                                            # one name, two figures
])
def test_respective_lists_that_are_not_name_lists_are_left_alone(config, text):
    before = metrics(text.replace("分别", "共同"), config)
    after = metrics(text, config)
    assert {k: v for k, v in after.items() if k.endswith("%")} == {k: v for k, v in before.items() if k.endswith("%")}
    assert after.get("50件", "") == before.get("50件", "")


# --- review outcomes and the correction rate ------------------------------------------------

OUTCOMES = "全年共审结行政复议案件60件,其中维持42件,驳回5件,撤销6件,变更2件,确认违法3件,责令履行1件"


def test_outcomes_are_named(config):
    assert metrics(OUTCOMES + "。", config) == {
        "60件": "concluded", "42件": "upheld", "5件": "dismissed", "6件": "revoked", "2件": "changed",
        "3件": "confirmed_illegal", "1件": "ordered_to_perform"}


def test_outcomes_are_bounded_by_the_concluded_even_when_all_are_stated(config):
    [row] = relations(OUTCOMES + "。", config, source="sum:review-outcomes")
    assert row["op"] == "le"  # withdrawn and terminated cases are concluded without an outcome
    assert row["n_parts"] == 6 and row["computed_lo"] == 59


def test_correction_rate_sums_its_numerator(config):
    [row] = relations(OUTCOMES + ",纠错率为20%。", config, source="rate:correction_rate")
    assert row["computed_expr"] == "(撤销6件 + 变更2件 + 确认违法3件 + 责令履行1件) / 审结行政复议案件60件"
    assert row["computed_lo"] == pytest.approx(20) and row["computed_hi"] == pytest.approx(20)


def test_correction_rate_with_unstated_terms_is_a_lower_bound(config):
    [row] = relations("全年审结行政复议案件50件,维持38件,撤销8件,确认违法3件,纠错率22%。", config,
                      source="rate:correction_rate")
    assert row["computed_lo"] == pytest.approx(22) and row["computed_hi"] == float("inf")


def _vocabulary_with(tmp_path, old: str, new: str):
    folder = tmp_path / "expectations"
    shutil.copytree(ROOT / "expectations", folder)
    path = folder / "vocabulary.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return folder


def test_exhaustive_must_be_true_or_false(tmp_path):
    folder = _vocabulary_with(tmp_path, "exhaustive: false", "exhaustive: sometimes")
    with pytest.raises(ConfigError, match="exhaustive"):
        load_config(folder)


def test_rate_numerators_must_be_count_metrics(tmp_path):
    folder = _vocabulary_with(tmp_path, "numerator: [revoked, changed,", "numerator: [revoked, share,")
    with pytest.raises(ConfigError, match="needs a count metric"):
        load_config(folder)


def test_a_numerator_list_is_read_in_order(config):
    [template] = [t for t in config.vocabulary.rates if t.rate == "correction_rate"]
    assert template.numerators == ("revoked", "changed", "confirmed_illegal", "ordered_to_perform")
    assert next(t for t in config.vocabulary.rates if t.rate == "success_rate").numerators == ("successes",)


# --- year-over-year changes ------------------------------------------------------------------

@pytest.mark.parametrize("text, change, level, op", [
    ("全县共立案查处行政处罚案件215件,同比下降26%。", 26, 215, "prior"),
    ("全年办理法律援助案件1,206件,比上年增加58件。", 58, 1206, "change"),
    ("行政机关负责人出庭应诉率达95.6%,较上年提高3.2个百分点。", 3.2, 95.6, "change"),
    ("罚没款486.3万元,比去年减少12.5万元。", 125000, 4863000, "change"),
    ("全年受理行政复议案件88件,比2021年增长12.8%。", 12.8, 88, "prior"),
    # 无一件 says none; the change qualifies the level before it, though too far to be checked
    ("全年共组织化解矛盾纠纷2189件,无一件进入诉讼程序,同比下降4.8%。", 4.8, 2189, "change"),
])
def test_change_pairs_with_its_level(config, text, change, level, op):
    """A percent change right after a whole count is checked (op prior: the computed side is the
    change a whole previous count gives); any other is recorded with its level (op change)."""
    [row] = relations(text, config, op=("change", "prior"))
    stated_lo, stated_hi, computed_lo, computed_hi = sides(row)
    assert row["op"] == op
    assert stated_lo <= change <= stated_hi
    if op == "change":
        assert computed_lo <= level <= computed_hi
    else:
        assert stated_lo <= computed_lo == computed_hi <= stated_hi
    assert row["n_parts"] == 1


@pytest.mark.parametrize("text", [
    "依法办理免罚案件19件,行政处罚案件数同比下降26%。",  # the change names its own subject
    "人均法律援助经费由2.1万元提高到2.3万元。",          # from and to levels, not a change
    "办理法律援助案件120人,同比增加5件。",                # a count change in another unit
])
def test_no_change_pair_without_its_level(config, text):
    assert relations(text, config, op=("change", "prior")) == []


def test_each_change_pairs_with_its_own_level(config):
    rows = relations("行政复议案件40件,同比增长10%,其中撤销6件,同比增长20%。", config, op="prior")
    assert sorted((r["stated_lo"], r["computed_expr"].split(" ÷ ")[0]) for r in rows) == [
        (9.5, "行政复议案件40件"), (19.5, "撤销6件")]


# --- the same metric stated more than once ---------------------------------------------------

def test_a_whole_counted_twice_is_a_checked_restatement(config):
    text = "13个乡镇(园区)、220个村(社区)均已开通政务服务线上站点。全市224个村(社区)已实现法律顾问全覆盖。"
    [row] = relations(text, config, op=("repeat", "restate"))
    assert row["op"] == "restate"
    assert sides(row) == (220, 220, 224, 224)
    assert (row["stated_expr"], row["computed_expr"]) == ("220个村(社区)", "全市224个村(社区)")


def test_repeat_records_one_noun_counted_twice(config):
    text = "220个村(社区)已开通政务服务线上站点。224个村(社区)已实现法律顾问全覆盖。"  # 220: not said to be all
    [row] = relations(text, config, op=("repeat", "restate"))
    assert row["op"] == "repeat"
    assert sides(row) == (220, 220, 224, 224)


def test_repeat_records_one_metric_stated_twice(config):
    text = "全年受理行政复议案件58件,审结50件。本年度行政复议机关共受理案件60件。"  # 受理案件: named otherwise
    [row] = relations(text, config, op=("repeat", "restate"))
    assert row["op"] == "repeat"
    assert (row["family"], row["stated_lo"], row["computed_lo"]) == ("administrative_reconsideration", 58, 60)


@pytest.mark.parametrize("text", [
    "全年受理行政复议案件58件,审结50件。本年度共受理行政复议案件60件,均已依法审结。",
    "全县17个乡(镇)均已设立法律援助工作站。今年全县19个乡(镇)实现公共法律服务全覆盖。",
    "全区12个乡镇(街道)均已建成公共法律服务工作站。全区13个乡镇(街道)实现法律顾问全覆盖。",
])
def test_restatements_of_a_whole(config, text):
    [row] = relations(text, config, op=("repeat", "restate"))
    assert row["op"] == "restate"


@pytest.mark.parametrize("text", [
    "全县12个乡镇(街道)均已建成公共法律服务工作站。在5个乡镇(街道)开展试点。",        # some, not all
    "全县12个乡镇(街道)均已建成公共法律服务工作站。在5个乡镇(街道)开展试点,力争明年实现全覆盖。",
    "全县新建5个村(社区)法律服务室。全县12个村(社区)法律服务室均已投入使用。",        # 新建: a part
    "市监局等9个部门均已完成划转。全市6个部门共有118名公职律师。",                     # 部门: generic
    "煤炭工业部共有二百个建设项目。机械工业各部共有七十七个建设项目。",                # 共有 whose whole?
    "全年共受理此类案件17件。法律援助中心全年共受理并指派法律援助206件。",            # 此类: a part
    "全年移送司法机关案件共103件。全年行政诉讼一审案件68件,败诉0件。",               # two things named 案件
])
def test_no_restatement_of_parts_and_generic_counts(config, text):
    assert relations(text, config, op="restate") == []


@pytest.mark.parametrize("text", [
    "全年受理行政复议案件58件。本年度受理行政复议案件58件,办结55件。",            # the same value
    "220个村(社区)已开通站点,另有4个村(社区)正在建设。",                         # one sentence
    "220个村(社区)已开通站点。全市224个社区已实现法律顾问全覆盖。",               # another noun
    "全年受理行政复议案件58件。全年受理行政诉讼案件60件。",                        # another family
    "全市建成法律援助工作站36个。各乡镇均设有法律援助工作站,共38个。",           # no noun after
])
def test_no_repeat_for_what_is_not_one_metric_restated(config, text):
    assert relations(text, config, op="repeat") == []


# --- checked and recorded ops ----------------------------------------------------------------

def test_suites_check_exactly_the_checked_ops(config):
    """Every relations expectation selects its rows by op, and the rules that select each op are
    the rules the kinds name for it (the readers' kinds.KINDS and the checks across years'):
    checked ops by theirs, change and repeat by none."""
    from auditor.extract.relations.kinds import KINDS
    from auditor.frames import CHECKED_OPS, RECORDED_OPS

    def ops(condition):
        if condition.get("type") == "and":
            return {op for c in condition["conditions"] for op in ops(c)}
        return {condition["parameter"]} if condition.get("column", {}).get("name") == "op" else set()

    selected: dict[str, set[str]] = {}
    for expectation in config.suites["relations"]["expectations"]:
        found = ops(expectation["kwargs"]["row_condition"])
        assert len(found) == 1, json.dumps(expectation, ensure_ascii=False)
        selected.setdefault(found.pop(), set()).add(expectation["meta"]["rule"])
    assert selected == {op: set(kind.rules) for op, kind in KINDS.items() if kind.checked}
    assert set(selected) == set(CHECKED_OPS) and not set(RECORDED_OPS) & set(CHECKED_OPS)


def test_recorded_changes_and_repeats_raise_no_flags(tmp_path, config):
    from auditor.pipeline import audit
    from auditor.report.csv_files import relations_frame

    text = ("全年共组织化解矛盾纠纷2189件,无一件进入诉讼程序,同比下降4.8%。220个村(社区)已开通政务服务线上站点。"
            "224个村(社区)已实现法律顾问全覆盖。行政机关负责人出庭应诉率达95.6%,较上年提高3.2个百分点。")
    (tmp_path / "t.txt").write_text(text, encoding="utf-8")
    result = audit([tmp_path], config)
    assert set(result.frames.relations["op"]) == {"change", "repeat"}
    assert set(relations_frame(result)["status"]) == {"unchecked"}
    assert [f.rule for f in result.flags if config.rules[f.rule].table == "relations"] == []


# --- whole-number feasibility: rates without a base, changes of a count ----------------------

@pytest.mark.parametrize("text, feasible, nearest", [
    ("全年行政机关负责人出庭应诉案件900件,出庭应诉率为66.89%。", False, "900件 / 1345件 = 66.914%"),
    ("全年行政机关负责人出庭应诉145件,出庭应诉率为59.67%。", True, "145件 / 243件 = 59.671%"),
    ("全县调委会调解成功1,930件,调解成功率为96.5%。", True, None),
    ("各级调委会调解成功7件,调解成功率为82.5%。", False, "7件 / 9件 = 77.78%"),
])
def test_grim_asks_for_a_whole_base(config, text, feasible, nearest):
    [row] = relations(text, config, op=("grim", "rate"))
    assert row["op"] == "grim"
    stated_lo, stated_hi, computed_lo, computed_hi = sides(row)
    assert (stated_lo <= computed_lo <= stated_hi) == feasible
    if nearest:
        assert row["computed_value"] == nearest


@pytest.mark.parametrize("text", [
    "全年受理行政诉讼案件50件,负责人出庭应诉45件,出庭应诉率90%。",       # a base: RATE001's
    "全年审结行政复议案件50件,撤销8件,确认违法3件,纠错率22.1%。",         # a numerator only in part
    "全年调解成功约1,930件,调解成功率为96.5%。",                            # 约: no whole numerator
    "全年调解成功1,930件,调解成功率达96%以上。",                            # 以上: any rate above
])
def test_no_grim_with_a_base_or_without_a_whole_numerator(config, text):
    assert relations(text, config, op="grim") == []


@pytest.mark.parametrize("text, feasible", [
    ("全年涉及执法领域的行政复议案件数2件,同比下降94.1%。", True),   # 34 -> 2: 94.12%
    ("全年行政诉讼案件3件,同比下降40%。", True),                      # 5 -> 3 exactly
    ("全年办理行政复议案件7件,同比增长66.7%。", False),               # 4 -> 7 is 75%, 5 -> 7 is 40%
    ("全年办理法律援助案件1,206件,同比增长12.3%。", True),
])
def test_prior_asks_for_a_whole_previous_count(config, text, feasible):
    [row] = relations(text, config, op="prior")
    stated_lo, stated_hi, computed_lo, computed_hi = sides(row)
    assert (stated_lo <= computed_lo <= stated_hi) == feasible


@pytest.mark.parametrize("text", [
    "全年罚没款486.3万元,同比增长12.8%。",              # money
    "全年办理公证1.2万件,同比增长12.8%。",              # 万: not a whole count
    "行政复议纠错率为12%,同比提高2.5%。",               # a rate
    "全年行政许可事项办理时限压缩至3天,提速40%。",       # neither rise nor fall of a count
])
def test_no_prior_for_what_is_not_a_whole_count(config, text):
    assert relations(text, config, op="prior") == []


# --- percentages of one whole -----------------------------------------------------------------

@pytest.mark.parametrize("text, total", [
    ("全年审结行政复议案件40件,其中维持占60%、撤销占25%、其他占10%。", 95),
    ("全年复议案件中,维持、撤销、其他分别占45.2%、30.1%、24.7%。", 100),
    ("共办理法律援助案件200件,其中刑事80件、民事120件,分别占40%、60%。", 100),
    ("全年审结行政复议案件40件,其中维持24件、占60%,撤销10件、占25%,其余6件、占15%。", 100),
])
def test_shares_of_a_whole_listed_to_the_end_must_total_100(config, text, total):
    [row] = relations(text, config, op="pct_total")
    assert row["stated_lo"] == row["stated_hi"] == 100
    assert float(row["computed_value"].rstrip("%")) == total


@pytest.mark.parametrize("text", [
    "共办理法律援助案件200件,其中刑事案件80件、民事案件110件,分别占40%、55%。",  # 10件 left unnamed
    "全年复议案件中,维持、撤销分别占45.2%、30.1%。",                              # no 其他
    "全年审结行政复议案件40件,其中维持占60%、撤销占25%。",                         # no 其他
    "全县法治宣传覆盖率达98%,群众满意率达95%,其他指标均达标。",                    # no 占
])
def test_shares_that_need_not_cover_the_whole_are_not_totalled(config, text):
    assert relations(text, config, op="pct_total") == []
