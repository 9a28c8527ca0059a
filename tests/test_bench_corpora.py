"""The benchmark's archive corpus (bench.generate with years): bodies of their own, each with
reports of consecutive years, every one after a body's first linked to the one before it, so that
the checks across years run on it as they do on a real archive."""

from __future__ import annotations

from pathlib import Path

from bench.generate import _body_name, generate
from auditor.frames import build_frames
from auditor.pipeline import read_reports


def test_each_report_after_a_bodys_first_links_to_last_years(tmp_path, config):
    truth = generate(12, tmp_path, seed=3, years=3)
    assert len(truth) == 12
    records = read_reports(sorted(tmp_path.glob("*.txt")), config)
    documents = build_frames(records, config.thresholds).documents.set_index("report")
    names = [Path(r.document["report"]).name for r in records]
    for i, name in enumerate(names):
        previous = documents.loc[records[i].document["report"], "previous_report"]
        if i % 3 == 0:
            assert not isinstance(previous, str), name
        else:
            assert Path(previous).name == names[i - 1], name
            assert documents.loc[records[i].document["report"], "year"] == documents.loc[previous, "year"] + 1


def test_body_names_are_distinct_and_keep_their_kind_of_region():
    names = [_body_name(body, 1000) for body in range(1000)]
    assert len(set(names)) == 1000
    assert names[0] == "安平甲甲甲县" and names[12] == "青山甲乙丙区"
    assert all(name[-1] in "县区市" for name in names)


def test_a_last_body_short_of_years_is_a_body_of_its_own(tmp_path):
    generate(5, tmp_path, seed=1, years=2)
    titles = [(tmp_path / f"report_{i:05d}.txt").read_text(encoding="utf-8").split("\n", 1)[0] for i in range(5)]
    bodies = [title.split("20", 1)[0] for title in titles]
    assert bodies[0] == bodies[1] and bodies[2] == bodies[3] and len({bodies[0], bodies[2], bodies[4]}) == 3
