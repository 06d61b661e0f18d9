"""The web application starts, and its audit log chains every entry to the one before."""

from __future__ import annotations

from typing import Any

import pytest

from postguard.web.audit.models import AuditEntry, record, verify


@pytest.mark.django_db
def test_the_audit_chain_verifies_when_untouched() -> None:
    for number in range(3):
        record("system", "test.event", f"thing {number}", number=number)
    assert verify().intact


@pytest.mark.django_db
def test_a_tampered_audit_entry_is_named_as_the_first_broken_one() -> None:
    entries = [record("system", "test.event", f"thing {n}", number=n) for n in range(3)]
    AuditEntry.objects.filter(pk=entries[1].pk).update(data={"number": 99})
    result = verify()
    assert (result.intact, result.first_broken) == (False, entries[1].pk)


@pytest.mark.django_db
def test_the_stored_school_rebuilds_as_the_engine_school(demo_school: Any) -> None:
    from postguard.school.loader import load_demo_school

    assert demo_school.to_engine() == load_demo_school()
