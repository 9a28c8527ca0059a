"""Build N seed-like reports with known anomalies, for benchmarks and recall measurements.

Each report is a title, a publication line, a body and a signature, about the size of the
sample reports (~20 KB); one in five is an information-disclosure report (政府信息公开工作年度报告,
~8 KB) whose template tables add up, cells separated by `|` or tabs. The body mixes prose taken from the sample reports (sentences without
figures) with sentences written from templates whose figures obey the relations the rules check.
At a known rate, one relation per report is broken on purpose; truth.json records which rule
should flag it, so a run can be scored as well as timed. Apart from that, a report is
consistent: it states each figure once (a plain figure's template is used at most once per
report), and the templates that state one metric (受理 of 行政复议) state the same value.

    python -m bench.generate 2000 /tmp/corpus_2000 --seed 0 --anomaly-rate 0.2
    python -m bench.generate 10000 /tmp/onepage_10000 --seed 7 --body-chars 400   # one-page reports
    python -m bench.generate 2000 /tmp/archive_2000 --years 2   # 1,000 bodies, two years each
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "reports_in"
TARGET_CHARS = 6500  # ~20 KB of UTF-8, like the sample reports
DISCLOSURE_SHARE = 0.2
VERSION = 2  # of the corpora: bench/run.py caches them by size and version
REGIONS = ["安平县", "临水县", "青山区", "东湖区", "白石市", "南岭县", "西河区", "北川市", "云台县", "江口区"]


def prose_sentences() -> list[str]:
    """Sentences of the sample reports that carry no figure, so they add text but no relations."""
    sentences = []
    for path in sorted(SEEDS.glob("*.txt")):
        for sentence in re.findall(r"[^。\n]+。", path.read_text(encoding="utf-8")):
            if not re.search(r"[0-9０-９一二三四五六七八九十两百千万亿%]", sentence) and len(sentence) > 20:
                sentences.append(sentence.strip())
    return sorted(set(sentences))


# Each template returns (sentence, rule broken or None). `bad` asks it to break its relation;
# `shared` holds the figures one report states in more than one template (受理 of 行政复议).
def received_split(rng: random.Random, bad: bool, shared: dict):
    accepted, rejected = shared.setdefault("accepted", rng.randint(20, 300)), rng.randint(0, 20)
    received = accepted + rejected + (rng.choice([-3, -2, 2, 3, 5]) if bad else 0)
    return f"全年共收到行政复议申请{received}件,其中受理{accepted}件,不予受理{rejected}件。", "ARITH001" if bad else None


def disposition(rng, bad, shared):
    accepted = shared.setdefault("accepted", rng.randint(20, 300))
    withdrawn, pending = rng.randint(0, min(10, accepted // 4)), rng.randint(0, min(30, accepted // 3))
    concluded = accepted - withdrawn - pending - (rng.randint(3, 9) if bad else 0)  # the disposition falls short
    return (f"依法受理行政复议案件{accepted}件,审结{concluded}件,申请人撤回{withdrawn}件,尚在审理{pending}件。",
            "ARITH001" if bad else None)


def mediation(rng, bad, shared):
    cases = rng.randint(500, 5000)
    successes = cases - rng.randint(5, cases // 30)
    rate = round(successes / cases * 100, 1) + (rng.choice([0.4, 0.6, 1.2]) if bad else 0)
    return (f"各级人民调解委员会共受理矛盾纠纷{cases}件,调解成功{successes}件,调解成功率为{rate:.1f}%。",
            "RATE001" if bad else None)


def breakdown(rng, bad, shared):
    parts = [rng.randint(5, 60) for _ in range(3)]
    total = sum(parts) - (rng.randint(2, 6) if bad else 0)
    return (f"全年移送司法机关案件共{total}件,其中食品药品案件{parts[0]}件、环境保护案件{parts[1]}件、"
            f"安全生产案件{parts[2]}件。", "BOUND001" if bad else None)


def share(rng, bad, shared):
    whole = rng.randint(800, 2000)
    part = rng.randint(whole // 3, whole - 10)
    rate = round(part / whole * 100, 2) + (rng.choice([1.5, 2.25, -3.1]) if bad else 0)
    return f"全县{whole}项依申请政务服务事项中,实现全程网办的有{part}项,占比{rate:.2f}%。", "RATE001" if bad else None


def litigation(rng, bad, shared):
    cases = rng.randint(20, 120)
    lost = rng.randint(0, 6)
    rate = round(lost / cases * 100, 1) + (rng.choice([2.0, 3.5]) if bad else 0)
    return f"全年行政诉讼一审案件{cases}件,败诉{lost}件,败诉率{rate:.1f}%。", "RATE001" if bad else None


def audit_money(rng, bad, shared):
    fixed, open_ = rng.randint(50, 400) / 100, rng.randint(10, 200) / 100
    found = fixed + open_ + (rng.choice([0.3, 0.5, -0.4]) if bad else 0)
    return (f"审计查出管理不规范金额{found:.2f}亿元,已整改金额{fixed:.2f}亿元,尚未整改金额{open_:.2f}亿元。",
            "ARITH001" if bad else None)


RELATIONS = [received_split, disposition, mediation, breakdown, share, litigation, audit_money]


def plain_figures(rng: random.Random) -> list[str]:
    """Figures with no relation between them: counts a report states in passing, each once, in
    a random order (two different counts of one thing would be an anomaly, CONS001)."""
    sentences = [
        f"全年开展法治宣传活动{rng.randint(20, 300)}场,发放宣传资料{rng.randint(1000, 90000)}份。",
        f"组织行政执法人员培训{rng.randint(2, 20)}期,参训{rng.randint(100, 3000)}人次。",
        f"审查规范性文件{rng.randint(5, 80)}件,提出审查意见{rng.randint(10, 300)}条。",
        f"办理人大代表建议{rng.randint(20, 200)}件、政协委员提案{rng.randint(20, 200)}件,办复率100%。",
        f"在{rng.randint(50, 300)}个村(社区)配备法律顾问,实现全覆盖。",
        f"市政府第{rng.randint(1, 60)}次常务会议专题研究法治政府建设工作。",
        f"全年行政许可事项平均提速{rng.randint(10, 80)}.{rng.randint(0, 99)}%。",
    ]
    rng.shuffle(sentences)
    return sentences


def report(rng: random.Random, prose: list[str], year: int, bad: bool,
           body_chars: int = TARGET_CHARS, region: str | None = None) -> tuple[str, list[str]]:
    region = region or rng.choice(REGIONS)
    broken = rng.randrange(len(RELATIONS)) if bad else -1
    expected = []
    body = []
    shared: dict = {}
    for i, template in enumerate(RELATIONS):
        sentence, rule = template(rng, i == broken, shared)
        body.append(sentence)
        if rule:
            expected.append(rule)
    plain = plain_figures(rng)
    while sum(map(len, body)) < body_chars:
        body.append(plain.pop() if plain and rng.random() >= 0.7 else rng.choice(prose))
    rng.shuffle(body)
    paragraphs = ["".join(body[i:i + 6]) for i in range(0, len(body), 6)]
    signed_year = year + 1
    if bad and rng.random() < 0.15:
        signed_year, expected = year, expected + ["DATE001"]  # signed before the year ended
    month, day = rng.randint(1, 3), rng.randint(1, 28)
    text = "\n\n".join([
        f"{region}{year}年法治政府建设年度报告",
        f"发布时间:{year + 1}-03-{day:02d} 10:00  来源:{region}人民政府",
        f"{year}年,{region}深入推进法治政府建设,各项工作取得积极成效。现将有关情况报告如下:",
        "一、主要举措和成效",
        *paragraphs,
        # The other four sections the 2019 rules require, in prose (no figures, so no anomalies).
        "二、存在的不足和原因",
        "".join(rng.sample(prose, 3)),
        "三、党政主要负责人履行推进法治建设第一责任人职责情况",
        "".join(rng.sample(prose, 3)),
        f"四、{year + 1}年推进法治政府建设的主要安排",
        "".join(rng.sample(prose, 3)),
        "五、其他需要报告的情况",
        "无其他需要报告的情况。",
        f"{region}人民政府",
        f"{signed_year}年{month}月{day}日",
    ]) + "\n"
    return text, expected


APPLICANTS = 6  # 自然人 and the five kinds of 法人或其他组织; the 总计 column follows
OUTCOME_ROWS = ["三、本年度办理结果|（一）予以公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
                "（三）不予公开|1．属于国家秘密", "2．其他法律行政法规禁止公开", "（四）无法提供|1．本机关不掌握相关政府信息",
                "2．没有现成信息需要另行制作", "（五）不予处理|1．信访举报投诉类申请", "2．重复申请", "（六）其他处理|3．其他"]


def disclosure_tables(rng: random.Random, bad: bool) -> tuple[str, list[str]]:
    """The template's two tables, consistent, or with one figure broken (truth: its rule)."""
    def counts(high: int) -> list[int]:
        return [rng.randint(0, high)] + [rng.choice([0, 0, 0, rng.randint(0, high // 4)]) for _ in range(APPLICANTS - 1)]
    outcomes = [counts(rng.choice([3, 10, 40])) for _ in OUTCOME_ROWS]
    handled = [sum(row[c] for row in outcomes) for c in range(APPLICANTS)]
    carried_in = [min(h, rng.randint(0, 3)) for h in handled]
    carried_out = [rng.randint(0, 3) for _ in handled]
    new = [h + o - i for h, o, i in zip(handled, carried_out, carried_in)]
    rows = [["一、本年新收政府信息公开申请数量", new], ["二、上年结转政府信息公开申请数量", carried_in],
            *[[label, row] for label, row in zip(OUTCOME_ROWS, outcomes)],
            ["（七）总计", handled], ["四、结转下年度继续办理", carried_out]]
    appeals = [rng.randint(0, 3) for _ in range(12)]
    blocks = [appeals[i:i + 4] + [sum(appeals[i:i + 4])] for i in (0, 4, 8)]
    totals = {id(r[1]): sum(r[1]) for r in rows}
    expected = []
    if bad:  # one figure off; every flag it causes, one per column that no longer adds up
        kind = rng.choice(["DISC001", "DISC002", "DISC003", "DISC004"])
        if kind == "DISC001":  # carried forward misstated (its row total with it): 自然人 and 总计 columns
            carried_out[0] += rng.randint(1, 3)
            totals[id(carried_out)] = sum(carried_out)
            expected += ["DISC001", "DISC001"]
        elif kind == "DISC002":  # the total of 本年新收 mistyped: its row, and the balance of the 总计 column
            totals[id(new)] += rng.choice([-1, 1, 10])
            expected += ["DISC002", "DISC001"]
        elif kind == "DISC003":  # an outcome misstated (its row total with it): 自然人 and 总计 columns
            outcomes[0][0] += rng.randint(1, 3)
            totals[id(outcomes[0])] = sum(outcomes[0])
            expected += ["DISC003", "DISC003"]
        else:
            blocks[0][4] += rng.randint(1, 2)
            expected.append("DISC004")
    separator = rng.choice([" | ", "\t"])
    lines = ["三、收到和处理政府信息公开申请情况",
             separator.join(["申请人情况", "自然人", "法人或其他组织", "总计"]),
             separator.join(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"])]
    for label, row in rows:
        lines.append(separator.join([*label.split("|"), *map(str, row), str(totals[id(row)])]))
    lines += ["四、政府信息公开行政复议、行政诉讼情况",
              separator.join(["行政复议", "行政诉讼"]),
              separator.join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"]),
              separator.join(map(str, [x for block in blocks for x in block]))]
    return "\n".join(lines), expected


def disclosure_report(rng: random.Random, prose: list[str], year: int, bad: bool,
                      region: str | None = None) -> tuple[str, list[str]]:
    region = region or rng.choice(REGIONS)
    tables, expected = disclosure_tables(rng, bad)
    month, day = rng.randint(1, 3), rng.randint(1, 28)
    text = "\n\n".join([
        f"{region}人民政府办公室{year}年政府信息公开工作年度报告",
        f"发布时间:{year + 1}-0{month}-{day:02d} 10:00  来源:{region}人民政府办公室",
        "一、总体情况",
        "".join(rng.sample(prose, 20)),
        "二、主动公开政府信息情况",
        "".join(rng.sample(prose, 4)),
        tables,
        "五、存在的主要问题及改进情况",
        "".join(rng.sample(prose, 4)),
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。",
        f"{region}人民政府办公室",
        f"{year + 1}年{month}月{day}日",
    ]) + "\n"
    return text, expected


def generate(n: int, out: Path, seed: int = 0, anomaly_rate: float = 0.2, body_chars: int = TARGET_CHARS,
             years: int = 1) -> dict:
    """N reports into OUT. YEARS above 1: an archive of several years, N // YEARS bodies of their
    own (the last with fewer when YEARS does not divide N), each with YEARS reports of one kind in
    consecutive years, so that each report after a body's first links to last year's (the checks
    across years run on it). Each year's figures are drawn anew, so those checks flag some of them
    (a disclosure table's 上年结转 is not last year's 年末): bench.run does not count such flags
    as spurious."""
    rng = random.Random(seed)
    prose = prose_sentences()
    out.mkdir(parents=True, exist_ok=True)
    truth = {}
    bodies = -(-n // years)  # the last body has fewer years when YEARS does not divide N
    region, first, disclosure = None, 0, False
    for i in range(n):
        if years == 1:
            year = rng.randint(2018, 2024)
            disclosure = rng.random() < DISCLOSURE_SHARE
        else:
            body, nth = divmod(i, years)
            if nth == 0:
                first = rng.randint(2018, 2024)
                region, disclosure = _body_name(body, bodies), rng.random() < DISCLOSURE_SHARE
            year = first + nth
        if disclosure:
            text, expected = disclosure_report(rng, prose, year, rng.random() < anomaly_rate, region)
        else:
            text, expected = report(rng, prose, year, rng.random() < anomaly_rate, body_chars, region)
        name = f"report_{i:05d}.txt"
        (out / name).write_text(text, encoding="utf-8")
        truth[name] = expected
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=0), encoding="utf-8")
    return truth


_TAG_CHARS = "甲乙丙丁戊己庚辛壬癸"  # a body's number, written in characters no reader takes for a figure


def _body_name(body: int, bodies: int) -> str:
    """A region of its own for body number BODY: one of REGIONS with the body's number before its
    last character (安平县 -> 安平乙丙县)."""
    base = REGIONS[body % len(REGIONS)]
    digits = len(str(max(bodies - 1, 1)))
    tag = "".join(_TAG_CHARS[int(d)] for d in str(body).zfill(digits))
    return base[:-1] + tag + base[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--anomaly-rate", type=float, default=0.2)
    parser.add_argument("--body-chars", type=int, default=TARGET_CHARS,
                        help="characters of a 法治政府建设 report's first section (its figures and some prose)")
    parser.add_argument("--years", type=int, default=1,
                        help="an archive of bodies with this many consecutive years each (default: 1, bodies shared)")
    args = parser.parse_args()
    truth = generate(args.n, args.out, args.seed, args.anomaly_rate, args.body_chars, args.years)
    print(f"{len(truth)} reports, {sum(map(bool, truth.values()))} with injected anomalies -> {args.out}")


if __name__ == "__main__":
    main()
