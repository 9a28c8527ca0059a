"""Reading time on crafted worst cases: does it grow linearly with the size of the text?

    python -m bench.crafted                  # each case at 100, 200 and 400 KB
    python -m bench.crafted --sizes 50,100   # other sizes (KB)

Texts a hostile or broken report could be, each built to the size asked:
- `repeated clause`: one clause of three counts repeated with no full stop
  (行政复议案件123件受理45件办结 …), every figure of one family in one endless sentence;
- `one total, 其中 list`: one total followed by a 其中 list of thousands of parts
  (全年共收到申请1000件，其中受理500件，其中受理500件 …), each part a candidate for each other;
- `ratios`: two counts and a ratio of them repeated in one sentence
  (新收行政复议申请8745件,新收一审行政诉讼案件3362件,复议诉讼比值达2.6, …), each ratio and each
  year's count looking back over the sentence;
- `closure rates`: a count, one settled at once, one concluded and their 办结率 repeated in one
  sentence (受理100件,当场答复30件,办结60件,办结率90%, …);
- and one sentence of each shape the readers read (SHAPES), repeated.

Each is read once through `auditor.process.read_text` (the whole per-report reading path, as a
worker runs it) on one core; a line gives the seconds per size and the ratio of each time to the
time of the size before (a doubling of the size gives 2 where reading grows linearly).
"""

from __future__ import annotations

import argparse
import time

from auditor.config import load_config
from auditor.process import read_text

CLAUSE = "行政复议案件123件受理45件办结"
TOTAL, PART = "全年共收到申请1000件", "，其中受理500件"
RATIO = "全市新收行政复议申请8745件,新收一审行政诉讼案件3362件,复议诉讼比值达2.6,"
CLOSURE = "受理100件,当场答复30件,办结60件,办结率90%,"


def repeated_clause(size_kb: int) -> str:
    """About size_kb KB (UTF-8) of CLAUSE repeated."""
    return CLAUSE * max(1, size_kb * 1000 // len(CLAUSE.encode()))


def qizhong_list(size_kb: int) -> str:
    """TOTAL then PART repeated to about size_kb KB (UTF-8)."""
    return TOTAL + PART * max(1, (size_kb * 1000 - len(TOTAL.encode())) // len(PART.encode()))


def ratios(size_kb: int) -> str:
    """About size_kb KB (UTF-8) of RATIO repeated."""
    return RATIO * max(1, size_kb * 1000 // len(RATIO.encode()))


def closure_rates(size_kb: int) -> str:
    """About size_kb KB (UTF-8) of CLOSURE repeated."""
    return CLOSURE * max(1, size_kb * 1000 // len(CLOSURE.encode()))


# One sentence of each shape a reader reads, repeated with commas only (one endless sentence):
# each reader's look-back must stay bounded.
SHAPES = {
    "shares of a named total": "全年受理案件40件,占受理案件总数的30%,",
    "shares of a whole never stated": "本局办理行政复议案件30件,占全县行政复议案件的20%,",
    "分别 shares": "刑事案件、民事案件分别占40%、60%,",
    "另 completions": "共审结行政复议案件4件,1件已公开,另外3件无需公开,",
    "除…外 remainders": "全市60个村中,除3个村外,57个村已覆盖,",
    "由…到… changes": "由40件增加到52件,增长30%,",
    "restatements": "查处食品案件60件,食品案件65件,",
    "其中 and 另有": "收到200件,已办结150件,其中来信90件、来访60件,另有50件正在办理,",
    "changes of a level": "行政处罚案件215件,同比下降26%,",
    "last year's level beside": "3326件(2023年为867件),同比增长283.6%,",
    "在…中 lists": "在主动公开的信息中,机构职能类信息37条,业务动态类信息56条,",
    "vocabulary rates": "调解成功3334件,受理矛盾纠纷3426件,调解成功率97.5%,",
    "shares making 100%": "网络申请39件,占88.6%,信函申请5件,占11.4%,",
}


def repeated(piece: str):
    """A builder of about size_kb KB (UTF-8) of PIECE repeated."""
    def build(size_kb: int) -> str:
        return piece * max(1, size_kb * 1000 // len(piece.encode()))
    return build


CASES = {"repeated clause": repeated_clause, "one total, 其中 list": qizhong_list, "ratios": ratios,
         "closure rates": closure_rates, **{name: repeated(piece) for name, piece in SHAPES.items()}}


def seconds_to_read(text: str, config) -> float:
    start = time.perf_counter()
    read_text(text, {"report": "crafted.txt"}, config)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,200,400", help="sizes in KB, comma-separated")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    config = load_config()
    read_text(CLAUSE, {"report": "warm-up.txt"}, config)  # compiled patterns, caches
    for name, build in CASES.items():
        times = [seconds_to_read(build(size), config) for size in sizes]
        cells = ", ".join(f"{size} KB {t:.2f} s" for size, t in zip(sizes, times))
        ratios = ", ".join(f"{b / a:.2f}" if a > 0 else "-" for a, b in zip(times, times[1:]))
        print(f"{name}: {cells}; growth per step {ratios or '-'}", flush=True)


if __name__ == "__main__":
    main()
