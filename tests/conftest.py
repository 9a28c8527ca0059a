"""Shared fixtures: the project's paths, the loaded expectations, a way to write passages."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "reports_in"
REAL_REPORTS = ROOT.parent / "shared" / "corpora" / "real_reports"  # beside the repository, where present


def pytest_configure(config):
    """Compile auditor and the tests to bytecode once, before any test runs.

    Where PYTHONDONTWRITEBYTECODE is set (as on this project's CI machines), no process writes
    bytecode, so each child process of the suite (`python -m auditor`, spawned workers) compiled
    every auditor module from source again, 0.3 s of CPU each: the children's CPU on a fresh clone
    was 73.7 s without this and 66.2 s with it (`python -m pytest -p bench.suite_cpu`).
    compileall writes explicitly and skips what is up to date; xdist's workers start after this."""
    if hasattr(config, "workerinput"):
        return
    import compileall

    for package in ("auditor", "tests"):
        compileall.compile_dir(ROOT / package, quiet=1)


def read_yaml(path: Path):
    """A YAML file of the tests' fixtures, read as auditor reads the expectations
    (settings_checks.read_yaml_text: libyaml's loader where PyYAML has it; every worker reads the
    rule and relation fixtures to collect their cases, 1.2 s with yaml.safe_load's pure-Python one)."""
    from auditor.settings_checks import read_yaml_text

    return read_yaml_text(path, path.read_text(encoding="utf-8"))


@functools.cache
def shared_config():
    """The project's expectations, loaded once for the session (a load takes 20 ms; helpers that
    are not fixtures, called by hundreds of parametrised cases, read it from here)."""
    from auditor.config import load_config

    return load_config(ROOT / "expectations")


@pytest.fixture(scope="session")
def config():
    return shared_config()


@pytest.fixture(scope="session", autouse=True)
def expectations_read_once_per_content():
    """`load_config` remembers the Config it built from a folder's exact bytes.

    Every command the tests run in-process (CliRunner: 140 of them) loads the expectations again,
    20 ms each. A Config is never changed once built (selection makes a new one), so the same
    folder with the same bytes gives back the same Config; a folder copied and edited by a test,
    or one that fails to load, is read as before. Processes the tests start are not affected."""
    import hashlib

    from auditor import config as config_module

    load = config_module.load_config
    built: dict[tuple, object] = {}

    def remembered(root=None):
        folder = Path(root) if root is not None else config_module.default_expectations_dir()
        if not folder.is_dir():
            return load(root)
        key = (str(folder), root is None, tuple(
            (str(path.relative_to(folder)), hashlib.sha256(path.read_bytes()).hexdigest())
            for path in sorted(folder.rglob("*")) if path.is_file()))
        if key not in built:
            built[key] = load(root)
        return built[key]

    config_module.load_config = remembered
    yield
    config_module.load_config = load


@pytest.fixture(scope="session")
def seed_audit(config):
    """One audit of the sample reports, shared by every test that reads its result."""
    from auditor.pipeline import audit

    return audit([SEEDS], config)


@pytest.fixture(scope="session")
def real_extract():
    """The real reports read once, as `extract(paths, config)` reads them (one job, no history
    store): (records, frames), shared by the tests that compare other runs or checkers with it.
    Read it, never change it."""
    import warnings

    from auditor.pipeline import extract

    paths = sorted(REAL_REPORTS.glob("*.txt"))
    if not paths:
        pytest.skip(f"no reports in {REAL_REPORTS}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return extract(paths, shared_config())


def whole_report(passage: str, year: int = 2021) -> str:
    """A complete 法治政府建设 report around a passage: title, publication date, the required
    sections, at least 300 characters of body and a signature, so that no document rule
    (DATE003–DATE006, DOC001–DOC004) fires and only what the passage itself says is flagged."""
    return (
        f"某县{year}年法治政府建设情况报告\n"
        f"发布时间:{year + 1}-03-01 09:00\n"
        f"{year}年,在县委、县政府的坚强领导下,我县深入学习贯彻习近平法治思想,统筹推进依法行政各项工作,"
        "法治政府建设取得新成效。现将有关情况报告如下:\n"
        "一、主要举措和成效\n"
        "县委、县政府主要负责人认真履行推进法治建设第一责任人职责,县政府常务会议专题研究法治政府建设工作4次,"
        "组织领导干部集中学法6次,全县行政执法人员持证上岗率达到100%。"
        "全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度。\n"
        f"{passage}\n"
        "二、存在的问题\n"
        "一是部分单位对法治政府建设重视不够,工作推进不平衡;二是基层行政执法人员法律素养有待提高。\n"
        "三、下一步工作计划\n"
        f"{year + 1}年,我县将继续深化“放管服”改革,全面推行行政执法“三项制度”,加强行政执法人员培训,"
        "推动法治政府建设再上新台阶。\n"
        "某县人民政府\n"
        f"{year + 1}年2月20日\n"
    )
