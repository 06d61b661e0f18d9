"""Detectors registered by name, in one place (as spaCy registers its components)."""

from __future__ import annotations

from importlib import import_module

from postguard.engine.detector import Detector

_REGISTRY: dict[str, type[Detector]] = {}


def register[D: type[Detector]](cls: D) -> D:
    """Class decorator: makes a detector available to checkers under its ``name``."""
    if cls.name in _REGISTRY and _REGISTRY[cls.name] is not cls:
        raise ValueError(f"two detectors are both called {cls.name!r}")
    _REGISTRY[cls.name] = cls
    return cls


def detectors() -> dict[str, type[Detector]]:
    """Every registered detector, by name; importing the package registers them all."""
    import_module("postguard.engine.detectors")
    return dict(_REGISTRY)


def emittable_kinds() -> frozenset[str]:
    return frozenset(kind for cls in detectors().values() for kind in cls.emits)
