"""The JSON API: check a post, list the packs, read a pack's rules."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from postguard.web.accounts.models import ApiToken
from postguard.web.audit.models import AuditEntry
from postguard.web.checks.models import CheckRecord

pytestmark = pytest.mark.usefixtures("demo_school")

PUPIL_DRAFT = "So proud of Jayden Robson in the Year 6 play tonight!"


@pytest.fixture
def api(client: Client, make_user: Callable[[str], Any]) -> Callable[..., Any]:
    """api(method, path, body=None, persona="teacher") with that persona's bearer token."""

    def call(method: str, path: str, body: Any = None, persona: str = "teacher") -> Any:
        _, token = ApiToken.issue(make_user(persona), "tests")
        data = body if isinstance(body, str) else json.dumps(body)
        extra: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        if method == "get":
            return client.get(f"/api/{path}", **extra)
        return client.post(f"/api/{path}", data, content_type="application/json", **extra)

    return call


def test_the_api_refuses_a_request_without_a_token(client: Client) -> None:
    response = client.post("/api/checks", {"text": PUPIL_DRAFT}, content_type="application/json")
    assert response.status_code == 401


def test_the_api_refuses_a_made_up_token(client: Client) -> None:
    response = client.get("/api/packs", HTTP_AUTHORIZATION="Bearer pg_made-up")
    assert response.status_code == 401


def test_checking_a_post_returns_the_engines_result(api: Callable[..., Any]) -> None:
    response = api("post", "checks", {"text": PUPIL_DRAFT, "audience": "friends"})
    assert response.status_code == 200
    result = response.json()
    assert result["verdict"] == "breach"
    finding = next(f for f in result["findings"] if f["category"] == "pupil_identification")
    assert finding["evidence"][0]["text"] == "Jayden Robson"
    assert (finding["clause"], finding["pack"]) == ("4.2", "northumberland")


def test_an_api_check_is_counted_but_its_text_is_not_kept(api: Callable[..., Any]) -> None:
    api("post", "checks", {"text": PUPIL_DRAFT})
    saved = CheckRecord.objects.get()
    assert (saved.source, saved.verdict, saved.text) == ("api", "breach", "")
    assert AuditEntry.objects.get(action="check.run").data["source"] == "api"


def test_an_api_check_keeps_the_text_when_asked(api: Callable[..., Any]) -> None:
    api("post", "checks", {"text": PUPIL_DRAFT, "save": True})
    assert CheckRecord.objects.get().text == PUPIL_DRAFT


def test_a_bad_field_gets_422_with_the_engines_message_naming_it(
        api: Callable[..., Any]) -> None:
    response = api("post", "checks", {"text": "Lovely day", "action": "tweet"})
    assert response.status_code == 422
    problem = response.json()
    assert (problem["code"], problem["field"]) == ("E305", "action")
    assert "action must be one of post, comment, message, friend_request, profile" in (
        problem["detail"])


def test_an_unknown_field_gets_422_naming_it(api: Callable[..., Any]) -> None:
    problem = api("post", "checks", {"text": "Lovely day", "mood": "sunny"}).json()
    assert (problem["code"], problem["field"]) == ("E302", "mood")


def test_a_body_that_is_not_json_gets_422(api: Callable[..., Any]) -> None:
    response = api("post", "checks", "text=Lovely day")
    assert (response.status_code, response.json()["code"]) == (422, "E301")


def test_a_missing_text_gets_422(api: Callable[..., Any]) -> None:
    problem = api("post", "checks", {"audience": "public"}).json()
    assert (problem["code"], problem["field"]) == ("E303", "text")


def test_the_api_reads_no_image_files_from_the_server(api: Callable[..., Any]) -> None:
    response = api("post", "checks", {"text": "Sports day", "images": [{"path": "/etc/passwd"}]})
    assert response.status_code == 422
    assert response.json()["field"] == "images[0].path"


def test_a_described_picture_is_checked(api: Callable[..., Any]) -> None:
    response = api("post", "checks", {
        "text": "Sports day fun", "account": "official", "account_id": "facebook",
        "images": [{"description": "the egg and spoon race", "shows_children": True,
                    "consent": False}]}, persona="comms")
    assert response.status_code == 200
    assert response.json()["verdict"] != "ok"


def test_a_post_without_a_time_is_checked_as_going_out_now(
        api: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    from django.utils import timezone

    # Monday 23 November 2026, 09:30 in Westmoor: Lesson 1.
    lesson = datetime(2026, 11, 23, 9, 30, tzinfo=ZoneInfo("Europe/London"))
    monkeypatch.setattr(timezone, "now", lambda: lesson)
    result = api("post", "checks", {"text": "Anyone watching the match tonight?"}).json()
    assert "working_time" in [finding["category"] for finding in result["findings"]]


def test_a_teacher_cannot_check_a_post_as_someone_else(api: Callable[..., Any]) -> None:
    response = api("post", "checks", {"text": "Lovely day", "author": "s-doyle"})
    assert response.status_code == 403
    assert not CheckRecord.objects.exists()


def test_a_teacher_may_name_themselves_as_author(api: Callable[..., Any]) -> None:
    assert api("post", "checks", {"text": "Lovely day", "author": "s-okafor"}).status_code == 200


def test_the_engine_flags_a_teacher_posting_on_an_account_they_are_not_authorised_for(
        api: Callable[..., Any]) -> None:
    result = api("post", "checks", {"text": "Well done Year 6!", "account": "official",
                                    "account_id": "facebook"}).json()
    assert "7.2-authorised-posters" in [finding["rule"] for finding in result["findings"]]


def test_the_packs_are_listed_with_their_rule_counts(api: Callable[..., Any]) -> None:
    response = api("get", "packs")
    assert response.status_code == 200
    packs = {pack["id"]: pack for pack in response.json()}
    assert {"northumberland", "neu", "hardmoor", "kettleshulme"} <= set(packs)
    assert packs["northumberland"]["rules"] > 10


def test_a_pack_is_read_with_its_rules(api: Callable[..., Any]) -> None:
    pack = api("get", "packs/northumberland").json()
    rule = next(rule for rule in pack["rules"] if rule["id"] == "4.2-pupil-information")
    assert rule["category"] == "pupil_identification"
    assert {"id", "category", "severity", "clause", "message", "advice"} <= set(rule)
    listed = next(item for item in api("get", "packs").json() if item["id"] == "northumberland")
    assert len(pack["rules"]) == listed["rules"]


def test_an_unknown_pack_is_404_with_the_engines_message(api: Callable[..., Any]) -> None:
    response = api("get", "packs/westmoor-local")
    assert response.status_code == 404
    assert response.json()["code"] == "E101"


def test_a_signed_in_session_can_use_the_api(client: Client, signed_in: Any) -> None:
    signed_in(client, "teacher")
    assert client.get("/api/packs").status_code == 200


def test_the_openapi_document_describes_the_check_body(client: Client) -> None:
    document = client.get("/api/openapi.json").json()
    body = document["paths"]["/api/checks"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    assert schema["required"] == ["text"] and "save" in schema["properties"]


def test_a_draft_longer_than_the_check_page_allows_gets_422(api: Callable[..., Any]) -> None:
    problem = api("post", "checks", {"text": "Lovely day. " * 1000}).json()
    assert (problem["code"], problem["field"]) == ("E307", "text")
