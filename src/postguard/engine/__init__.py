"""The engine: a Post in, a CheckResult out. Knows nothing of Django, HTTP or databases.

Exports are resolved lazily so that ``postguard.policy`` can read the signal vocabulary
(``postguard.engine.signals``) without importing the checker, which itself needs the policy.
"""

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Checker": "checker", "CheckResult": "checker", "Evidence": "checker", "Finding": "checker",
    "Image": "post", "Post": "post", "post_from_dict": "post", "Signal": "signals",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(name)
