"""PostGuard: runs a school's social media policy."""

__version__ = "0.1.0"
