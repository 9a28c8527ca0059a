"""The packages of auditor import only downward, so data flows one way:

    ingest -> extract -> process -> frames -> checks -> flags -> history -> pipeline -> report -> cli

Every import of an auditor module is read from the source (ast: at the top of a module and
inside functions alike, since a deferred import is a dependency all the same) and each must
go to a lower layer than the importer's, or stay inside the importer's own package or module.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "auditor"

# Lowest first. A unit is auditor's package __init__ ("auditor"), a top-level module or a
# subpackage; units of one layer do not import each other.
LAYERS: tuple[tuple[str, ...], ...] = (
    # below every layer: what any of them may need
    ("auditor", "paths", "columns", "i18n", "speed", "flag", "processes"),  # the version; path names; column names;
    # words; a flag; whether a process runs
    ("errors",),                                         # errors a user can cause
    ("limits", "settings_checks"),                       # size limits; the expectations' consistency
    ("config",),                                         # the expectations folder, loaded and checked
    # the pipeline, in the order the data flows
    ("ingest",),      # files -> text, grids, metadata, numerals, spans
    ("extract",),     # text -> figures, labels, relations, document features
    ("process",),     # one file -> its record (document row, fact and relation columns)
    ("frames",),      # records -> validated frames, the columns derived across reports
    ("checks",),      # frames -> failing rows (the expectation suites)
    ("flags",),       # failing rows -> flags
    ("history",),     # last year's reports of earlier runs; recording this run's
    ("spill",),       # a batched run's pieces on disk
    ("pipeline",),    # the run: inputs -> records -> frames -> flags, in batches
    ("review", "selection"),  # a flag's review state; which rules a run applies
    ("report",),      # the output files
    ("baseline", "listing"),  # accepted flags; the flags as printed
    ("terminal",),    # progress and summary on the terminal
    ("cli",),
    ("__main__",),
)
# Imports against the layers, each with its reason. None are left.
EXCEPTIONS: dict[tuple[str, str], str] = {}

RANK = {unit: rank for rank, layer in enumerate(LAYERS) for unit in layer}


def _unit(module: str) -> str:
    """auditor.extract.figures -> extract; auditor -> auditor."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(tree: ast.AST) -> list[tuple[str, int]]:
    """The auditor modules a module imports, with the line of each import."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names if alias.name.split(".")[0] == "auditor"]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module \
                and node.module.split(".")[0] == "auditor":
            if node.module == "auditor":  # from auditor import columns: a module; __version__: the package
                found += [(f"auditor.{alias.name}" if _exists(alias.name) else "auditor", node.lineno)
                          for alias in node.names]
            else:
                found.append((node.module, node.lineno))
    return found


def _exists(name: str) -> bool:
    return (PACKAGE / f"{name}.py").exists() or (PACKAGE / name / "__init__.py").exists()


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _violations(importer: str, tree: ast.AST) -> list[str]:
    """The imports of module IMPORTER (its source parsed as TREE) that go up or sideways."""
    source = _unit(importer)
    wrong = []
    for module, line in _imported(tree):
        target = _unit(module)
        if target != source and (source, target) not in EXCEPTIONS and RANK[target] >= RANK[source]:
            wrong.append(f"{importer}:{line}: {source} imports {module} ({target})")
    return wrong


def test_every_unit_has_a_layer():
    units = {_unit(_module_name(path)) for path in _modules()}
    assert units - set(RANK) == set(), "place the new module in LAYERS"
    assert set(RANK) - units == set(), "a unit of LAYERS that is gone"


def test_packages_import_only_downward():
    wrong = [v for path in _modules()
             for v in _violations(_module_name(path), ast.parse(path.read_text(encoding="utf-8")))]
    assert wrong == []


def test_an_upward_or_sideways_import_is_found_even_inside_a_function():
    upward = ast.parse("from auditor.extract.figures import Fact\n\ndef f():\n    from auditor.frames import Frames\n")
    assert _violations("auditor.extract.labels", upward) == [
        "auditor.extract.labels:4: extract imports auditor.frames (frames)"]
    sideways = ast.parse("import auditor.listing\n")
    assert _violations("auditor.baseline", sideways) == ["auditor.baseline:1: baseline imports auditor.listing (listing)"]


def test_imports_within_a_package_and_downward_pass():
    tree = ast.parse("from auditor.frames.outliers import robust_z\nfrom auditor import columns, __version__\n"
                     "from auditor.extract.figures import Fact\n")
    assert _violations("auditor.frames.across_years", tree) == []
    assert [module for module, _ in _imported(tree)] == ["auditor.frames.outliers", "auditor.columns", "auditor",
                                                         "auditor.extract.figures"]
