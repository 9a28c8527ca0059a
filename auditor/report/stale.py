"""Outputs of one run only: what an earlier run left in --out and this run does not write.

A rerun with fewer formats (`--format json`) would otherwise leave the earlier run's report.html
and flags.xlsx beside its own files, unmarked, describing other reports or other rules. So once a
run has written its files, it removes the outputs it knows by name that it did not write, and the
command says which. Nothing else in the folder is touched, and a reviewer's work is never lost:
a flags.xlsx holding reviews is set aside as flags.reviewed-<hash>.xlsx, as a rerun does.
"""

from __future__ import annotations

import shutil
from pathlib import Path

# The files each --format writes.
OUTPUT_FILES: dict[str, tuple[str, ...]] = {
    "csv": ("facts.csv", "relations.csv", "reports.csv", "flags.csv"),
    "md": ("summary.md",),
    "xlsx": ("flags.xlsx",),
    "html": ("report.html",),
    "junit": ("junit.xml",),
    "sarif": ("flags.sarif",),
    "gx": ("gx_validation.json",),
    "json": ("flags.json",),
}
EXTRACT_FILES = ("facts.csv", "reports.csv")   # what `auditor extract` writes
DATA_DOCS = "data_docs"                         # the folder --data-docs builds


def remove_stale_outputs(out: Path, written: list[str], data_docs: bool) -> list[str]:
    """Remove from OUT the known outputs not in WRITTEN (and data_docs/ unless DATA_DOCS); return
    their names, a set-aside workbook as 'flags.xlsx -> flags.reviewed-….xlsx'."""
    removed = []
    for name in (name for names in OUTPUT_FILES.values() for name in names):
        path = out / name
        if name in written or not path.is_file():
            continue
        if name == "flags.xlsx":
            aside = _set_aside_if_reviewed(path)
            if aside is not None:
                removed.append(f"{name} -> {aside.name}")
                continue
        path.unlink(missing_ok=True)
        removed.append(name)
    docs = out / DATA_DOCS
    if not data_docs and docs.is_dir() and not docs.is_symlink():
        shutil.rmtree(docs, ignore_errors=True)
        removed.append(f"{DATA_DOCS}/")
    return removed


def _set_aside_if_reviewed(path: Path) -> Path | None:
    """A workbook carrying a reviewer's statuses or comments, or one auditor cannot read, is
    renamed as a rerun renames it; the path it now has, or None for an unreviewed one."""
    import os

    from auditor.report.workbook import existing_reviews, reviewed_path

    data = path.read_bytes()
    reviews, keep = existing_reviews(data)
    if not keep:
        return None
    aside = reviewed_path(path, data)
    os.replace(path, aside)
    return aside
