"""Running the web application: Django set-up, the server, the worker and the demo sign-ins."""

from __future__ import annotations

import os
from typing import Any


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "postguard.web.settings")
    import django

    django.setup()


def manage(*args: str) -> None:
    setup()
    from django.core.management import call_command

    call_command(*args)


def serve(host: str, port: int, threads: int = 8) -> None:
    setup()
    from waitress import serve as waitress_serve

    from postguard.web.wsgi import application

    waitress_serve(application, host=host, port=port, threads=threads)


def worker(**options: Any) -> None:
    """Django tasks from the database, and the deadline poller (safe to run twice)."""
    manage("db_worker", **options)
