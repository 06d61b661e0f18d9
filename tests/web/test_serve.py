"""The web application's commands: serve (and its demo sign-ins), worker, web and audit."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from rich.console import Console
from typer.testing import CliRunner

from postguard.cli import app
from postguard.school.loader import demo_school_dir
from postguard.web import deadlines, runner
from postguard.web.accounts.models import User
from postguard.web.audit.models import AuditEntry, record
from postguard.web.demo import DEMO_PEOPLE, prepare_demo, sign_in_table
from postguard.web.schools.models import SchoolRecord

TWO_FACTOR_USERS = {"head", "dsl", "admin"}


def invoke(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def rendered(table: Any) -> str:
    console = Console(width=160, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(table)
    return console.export_text()


@pytest.fixture
def no_server(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """The serve command with everything but the server itself (and migrate: the test database
    is already migrated)."""
    served: list[tuple[str, int]] = []
    monkeypatch.setattr(runner, "migrate", lambda verbosity=0: None)
    monkeypatch.setattr(runner, "serve", lambda host, port, threads=8: served.append(
        (host, port)))
    return served


# -- the demo -----------------------------------------------------------------------------------


def test_the_demo_personas_are_the_web_tests_personas() -> None:
    spec = importlib.util.spec_from_file_location("web_conftest",
                                                  Path(__file__).with_name("conftest.py"))
    assert spec is not None and spec.loader is not None
    conftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conftest)
    assert {person.username: (person.person_id, person.name, set(person.roles))
            for person in DEMO_PEOPLE} == {
        username: (person_id, name, set(roles))
        for username, (person_id, name, roles) in conftest.PERSONAS.items()}


def test_the_demo_gives_every_role_a_sign_in_and_two_factor_roles_a_secret(db: Any) -> None:
    sign_ins = {sign_in.username: sign_in for sign_in in prepare_demo()}
    assert set(sign_ins) == {"teacher", "head", "dsl", "comms", "hr", "governor", "admin"}
    for username, sign_in in sign_ins.items():
        user = User.objects.get(username=username)
        assert user.check_password(sign_in.password)
        assert (sign_in.totp_secret is not None) == (username in TWO_FACTOR_USERS)
    text = rendered(sign_in_table(list(sign_ins.values())))
    for sign_in in sign_ins.values():
        assert sign_in.username in text and sign_in.password in text
        if sign_in.totp_secret:
            assert sign_in.totp_secret in text
    assert "Designated safeguarding lead" in text


def test_each_demo_start_gives_new_passwords_and_keeps_the_authenticator_secrets(db: Any) -> None:
    first = {sign_in.username: sign_in for sign_in in prepare_demo()}
    second = {sign_in.username: sign_in for sign_in in prepare_demo()}
    assert all(first[name].password != second[name].password for name in first)
    assert not User.objects.get(username="head").check_password(first["head"].password)
    assert first["head"].totp_secret == second["head"].totp_secret
    assert User.objects.count() == len(DEMO_PEOPLE)


def test_the_demo_loads_westmoor_only_when_no_school_is_stored(db: Any) -> None:
    prepare_demo()
    school = SchoolRecord.objects.get()
    assert school.name == "Westmoor Primary School" and school.imported_from == "demo"
    school.name = "Our own school"
    school.save()
    prepare_demo()
    assert SchoolRecord.objects.get().name == "Our own school"


def test_the_demo_users_can_sign_in_at_once_after_a_lockout(db: Any) -> None:
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(username="teacher", ip_address="127.0.0.1", user_agent="x",
                                 failures_since_start=9)
    prepare_demo()
    assert not AccessAttempt.objects.filter(username="teacher").exists()


def test_serve_demo_prints_the_sign_ins_then_serves_on_localhost_8000(
        db: Any, no_server: list[tuple[str, int]]) -> None:
    result = invoke("serve", "--demo")
    assert result.exit_code == 0, result.output
    assert no_server == [("127.0.0.1", 8000)]
    for username in ("teacher", "head", "dsl", "comms", "hr", "governor", "admin"):
        assert username in result.output
    assert "http://127.0.0.1:8000/" in result.output
    assert "postguard web demo-code head" in result.output


def test_serve_without_demo_makes_no_users(db: Any, no_server: list[tuple[str, int]]) -> None:
    result = invoke("serve", "--host", "0.0.0.0", "--port", "8123")
    assert result.exit_code == 0, result.output
    assert no_server == [("0.0.0.0", 8123)]
    assert not User.objects.exists()


def test_demo_code_prints_the_code_the_authenticator_app_shows(db: Any) -> None:
    prepare_demo()
    result = invoke("web", "demo-code", "head")
    assert result.exit_code == 0, result.output
    device = TOTPDevice.objects.get(user__username="head")
    assert device.verify_token(result.output.strip())


@pytest.mark.parametrize("username", ["teacher", "someone"])
def test_demo_code_refuses_users_without_a_demo_code(username: str, db: Any) -> None:
    prepare_demo()
    result = invoke("web", "demo-code", username)
    assert result.exit_code == 2


# -- importing the school from the command line -------------------------------------------------


def test_web_import_school_stores_the_school_and_audits_it(
        db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "migrate", lambda verbosity=0: None)
    result = invoke("web", "import-school", str(demo_school_dir() / "school.yaml"))
    assert result.exit_code == 0, result.output
    assert "Stored Westmoor Primary School: 54 people" in result.output
    assert SchoolRecord.objects.get().people.count() == 54
    assert AuditEntry.objects.get(action="school.import").actor == "command line"


def test_web_import_school_with_a_bad_csv_line_names_it_and_stores_nothing(
        db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "migrate", lambda verbosity=0: None)
    for source in demo_school_dir().iterdir():
        if source.suffix in (".yaml", ".csv"):
            (tmp_path / source.name).write_bytes(source.read_bytes())
    pupils = tmp_path / "pupils.csv"
    pupils.write_text(pupils.read_text().replace("2016-02-03", "3 Feb 2016"))
    result = invoke("web", "import-school", str(tmp_path / "school.yaml"))
    assert result.exit_code == 2
    assert f"{pupils}:3, field date_of_birth" in result.output
    assert not SchoolRecord.objects.exists()


# -- audit verify -------------------------------------------------------------------------------


def test_audit_verify_exits_0_and_counts_the_entries_when_the_log_is_intact(db: Any) -> None:
    for number in range(3):
        record("head", "role.change", "teacher", before=["staff"], after=["staff"], n=number)
    result = invoke("audit", "verify")
    assert result.exit_code == 0
    assert "The audit log is intact: 3 entries checked." in result.output


def test_audit_verify_exits_1_and_names_the_first_broken_entry(db: Any) -> None:
    entries = [record("head", "role.change", "teacher", n=number) for number in range(3)]
    AuditEntry.objects.filter(pk=entries[1].pk).update(actor="someone else")
    result = invoke("audit", "verify")
    assert result.exit_code == 1
    assert f"broken at entry {entries[1].pk}: its contents have been changed" in result.output


# -- the worker ---------------------------------------------------------------------------------


@pytest.fixture
def pollers() -> Iterator[list[Callable[[], object]]]:
    saved = list(deadlines._pollers)
    deadlines._pollers.clear()
    yield deadlines._pollers
    deadlines._pollers[:] = saved


def test_the_worker_runs_waiting_tasks_and_polls_deadlines_between_them(
        pollers: list[Callable[[], object]]) -> None:
    happened: list[str] = []
    deadlines.register_poller(lambda: happened.append("poll"))
    runner.worker(interval=0, poll_every=3600, rounds=3,
                  run_tasks=lambda: happened.append("tasks"))
    assert happened == ["tasks", "poll", "tasks", "tasks"]  # polled once an hour


def test_a_poller_registered_twice_runs_once(pollers: list[Callable[[], object]]) -> None:
    calls: list[int] = []

    def remind() -> None:
        calls.append(1)

    deadlines.register_poller(remind)
    deadlines.register_poller(remind)
    deadlines.poll_deadlines()
    assert calls == [1]


def test_a_failing_poller_does_not_stop_the_others(pollers: list[Callable[[], object]]) -> None:
    calls: list[str] = []

    def broken() -> None:
        raise RuntimeError("database went away")

    deadlines.register_poller(broken)
    deadlines.register_poller(lambda: calls.append("reminders"))
    failed = deadlines.poll_deadlines()
    assert calls == ["reminders"] and failed == [f"{__name__}.{broken.__qualname__}"]


# -- staying quick ------------------------------------------------------------------------------


def test_the_engine_commands_do_not_load_django() -> None:
    code = "import sys, postguard.cli; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
