"""Shared fixtures: the project's paths, the loaded expectations, a way to write passages."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "reports_in"


@pytest.fixture(scope="session")
def config():
    from auditor.config import load_config

    return load_config(ROOT / "expectations")


@pytest.fixture(scope="session")
def seed_audit(config):
    """One audit of the sample reports, shared by every test that reads its result."""
    from auditor.pipeline import audit

    return audit([SEEDS], config)
