"""Settings for the test suite: the application's own, with a throwaway data folder, a key for
tests only, and background tasks run at once (so a test sees their effect)."""

import os
import tempfile

os.environ.setdefault("POSTGUARD_DATA_DIR", tempfile.mkdtemp(prefix="postguard-test-"))
os.environ.setdefault("POSTGUARD_SECRET_KEY", "tests-only-not-a-secret")

from postguard.web.settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
