"""The engine's text features, loaded from the source tree without installing PostGuard (which
needs Python 3.13, while training runs on 3.11 with torch)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

FEATURES = (Path(__file__).resolve().parent.parent / "src" / "postguard" / "engine" / "models"
            / "features.py")
_spec = importlib.util.spec_from_file_location("postguard_features", FEATURES)
assert _spec is not None and _spec.loader is not None
features = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(features)
clean = features.clean
terms = features.terms
