"""One detector per module. Adding a detector: write the module, then add its name here."""

from importlib import import_module

DETECTOR_MODULES = (
    "post_context",
    "official",
    "images",
    "personal_data",
    "timing",
    "contact",
    "people",
    "school_identity",
    "language",
    "topics",
)

for _module in DETECTOR_MODULES:
    import_module(f"{__name__}.{_module}")
