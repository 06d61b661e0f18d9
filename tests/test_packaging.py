"""What an installed PostGuard carries: every file the code reads ships in the package."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "postguard"


def test_every_data_file_in_the_package_is_declared_as_package_data() -> None:
    # A wheel holds only the .py files and what package-data names: a model, template or
    # lexicon left out works in a checkout and is missing once installed.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["postguard"]
    undeclared = [
        str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*")
        if path.is_file() and path.suffix not in {".py", ".pyc"}
        and "__pycache__" not in path.parts
        and not any(path.relative_to(PACKAGE).full_match(pattern) for pattern in patterns)
    ]
    assert undeclared == []
