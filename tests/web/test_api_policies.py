"""GET /api/acknowledgements: the written record as JSON, under the record page's permission."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from postguard.web.accounts.models import ApiToken
from postguard.web.policies import lifecycle
from postguard.web.policies.models import PolicyVersion

URL = "/api/acknowledgements"


@pytest.fixture
def published(make_user: Callable[[str], Any], demo_school: Any) -> PolicyVersion:
    head = make_user("head")
    for persona in ("teacher", "dsl", "comms"):
        make_user(persona)
    return lifecycle.publish(lifecycle.adopt("northumberland", head), head)


def by_username(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["username"]: item for item in body["staff"]}


def test_the_record_lists_each_member_of_staff_acknowledged_or_not_with_when_and_how(
        client: Client, signed_in: Callable[[Client, str], Any], make_user: Callable[[str], Any],
        published: PolicyVersion) -> None:
    lifecycle.acknowledge(make_user("teacher"), published)
    head = signed_in(client, "head")
    lifecycle.acknowledge(make_user("dsl"), published, how="staff_meeting",
                          on=timezone.localdate(), recorded_by=head)
    response = client.get(URL, {"version": 1})
    assert response.status_code == 200
    body = response.json()
    assert (body["version"], body["pack"], body["current"]) == (1, "northumberland", True)
    assert (body["acknowledged"], body["staff_count"]) == (2, 4)
    staff = by_username(body)
    today = timezone.localdate().isoformat()
    assert (staff["teacher"]["acknowledged"], staff["teacher"]["on"],
            staff["teacher"]["how"]) == (True, today, "online")
    assert (staff["dsl"]["how"], staff["dsl"]["recorded_by"]) == ("staff_meeting", "head")
    assert (staff["comms"]["acknowledged"], staff["comms"]["on"],
            staff["comms"]["how"]) == (False, None, None)


def test_without_a_version_the_current_one_is_given(
        client: Client, signed_in: Callable[[Client, str], Any],
        published: PolicyVersion) -> None:
    head = signed_in(client, "head")
    lifecycle.publish(lifecycle.adopt("neu", head), head)
    assert client.get(URL).json()["version"] == 2


def test_hr_reads_the_record_with_a_bearer_token(
        client: Client, make_user: Callable[[str], Any], published: PolicyVersion) -> None:
    _, token = ApiToken.issue(make_user("hr"), "HR system")
    response = client.get(URL, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert "hr" in by_username(response.json())


@pytest.mark.parametrize("persona", ["teacher", "governor", "comms"])
def test_roles_without_the_record_permission_are_refused_with_the_reason(
        client: Client, signed_in: Callable[[Client, str], Any], published: PolicyVersion,
        persona: str) -> None:
    signed_in(client, persona)
    response = client.get(URL)
    assert response.status_code == 403
    assert "only these roles may see and export who received" in response.json()["detail"]


def test_a_version_that_was_never_published_is_not_found(
        client: Client, signed_in: Callable[[Client, str], Any],
        published: PolicyVersion) -> None:
    head = signed_in(client, "head")
    lifecycle.adopt("neu", head)
    for number in (2, 99):
        assert client.get(URL, {"version": number}).status_code == 404


def test_without_signing_in_the_record_is_refused(client: Client,
                                                   published: PolicyVersion) -> None:
    assert client.get(URL).status_code == 401


def test_the_route_is_in_the_openapi_document(client: Client, db: Any) -> None:
    document = client.get("/api/openapi.json").json()
    assert "/api/acknowledgements" in document["paths"]
