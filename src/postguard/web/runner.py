"""Running the web application: Django set-up, migrations, the server and the worker.

Django is imported only when one of these runs, so the engine's commands stay quick to start.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "postguard.web.settings")
    import django

    django.setup()


def manage(*args: str, **options: Any) -> None:
    setup()
    from django.core.management import call_command

    call_command(*args, **options)


def migrate(verbosity: int = 0) -> None:
    manage("migrate", interactive=False, verbosity=verbosity)


def serve(host: str, port: int, threads: int = 8) -> None:
    setup()
    from django.conf import settings
    from waitress import serve as waitress_serve

    # WhiteNoise serves from the apps' folders, but warns on start when STATIC_ROOT is missing.
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)

    from postguard.web.wsgi import application

    waitress_serve(application, host=host, port=port, threads=threads)


def database_task_runner() -> Callable[[], None]:
    """A function that runs every task waiting in the database queue, then returns.

    django-tasks-db's own worker, in its batch mode; its signal handlers make Ctrl-C finish the
    task in hand and then stop."""
    from django.utils.crypto import get_random_string
    from django_tasks_db.management.commands.db_worker import Worker

    tasks = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default",
                   startup_delay=False, max_tasks=None, worker_id=get_random_string(32),
                   excluded_queue_names=[])
    tasks.configure_signals()
    return tasks.run


def worker(interval: float = 1.0, poll_every: float = 60.0, rounds: int | None = None,
           run_tasks: Callable[[], None] | None = None) -> None:
    """Run tasks as they arrive and, every ``poll_every`` seconds between them, the deadline
    pollers (web/deadlines.py). ``rounds`` stops it after that many passes (for tests)."""
    setup()
    from postguard.web.deadlines import poll_deadlines

    run_tasks = run_tasks or database_task_runner()
    next_poll = 0.0
    done = 0
    while rounds is None or done < rounds:
        run_tasks()
        if time.monotonic() >= next_poll:
            poll_deadlines()
            next_poll = time.monotonic() + poll_every
        done += 1
        if rounds is None or done < rounds:
            time.sleep(interval)
