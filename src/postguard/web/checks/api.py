"""The JSON API for checking a post and reading the policy packs.

``POST /api/checks`` takes a post exactly as the command line's ``scan`` reads one (the fields
of ``post_from_dict``), so a bad field gets the engine's own message and code, naming the field.
"""

from __future__ import annotations

import json
from typing import Any, cast

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from postguard.engine.post import ACCOUNTS, ACTIONS, AUDIENCES, post_from_dict
from postguard.errors import Code, Location, PostGuardError
from postguard.policy.loader import available_packs, load_pack
from postguard.policy.model import Pack
from postguard.web.accounts.models import User
from postguard.web.checks.forms import MAX_DRAFT
from postguard.web.checks.models import CheckRecord
from postguard.web.checks.running import policy_in_force, record_check

router = Router(tags=["checks and packs"])


def require(request: HttpRequest, permission: str) -> None:
    from postguard.web.api import require as decide  # web.api imports this module to mount it

    decide(request, permission)

_TEXT = {"type": "string"}
POST_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["text"],
    "additionalProperties": False,
    "properties": {
        "text": {**_TEXT, "description": "the draft"},
        "id": {**_TEXT, "description": "your own reference, returned as it was"},
        "account": {"type": "string", "enum": list(ACCOUNTS), "default": "personal"},
        "account_id": {**_TEXT, "description": "an official account's id or handle"},
        "action": {"type": "string", "enum": list(ACTIONS), "default": "post"},
        "audience": {"type": "string", "enum": list(AUDIENCES), "default": "public"},
        "platform": _TEXT,
        "posted_at": {"type": "string", "format": "date-time",
                      "description": "ISO 8601 with a time zone; now when left out"},
        "target": {**_TEXT, "description": "who a message or friend request is to"},
        "author": {**_TEXT, "description": "yourself (your roster id); the default"},
        "approved_by": _TEXT,
        "links": {"type": "array", "items": _TEXT},
        "images": {"type": "array", "items": {"type": "object", "properties": {
            "description": _TEXT, "shows_children": {"type": "boolean"},
            "consent": {"type": "boolean"}, "contains_logo": {"type": "boolean"},
            "taken_at_work": {"type": "boolean"}, "source": _TEXT}}},
        "save": {"type": "boolean", "default": False,
                 "description": "keep the draft in your own history (only you can read it)"},
    },
}


class Problem(Schema):
    detail: str
    code: str | None = None
    field: str | None = None


class RuleOut(Schema):
    id: str
    title: str
    category: str
    severity: str
    clause: str
    message: str
    advice: str
    suggestion: str | None
    report_to: str | None


class PackSummary(Schema):
    id: str
    title: str
    publisher: str
    version: str
    rules: int


class PackOut(Schema):
    id: str
    title: str
    publisher: str
    version: str
    summary: str
    rules: list[RuleOut]


def _problem(error: PostGuardError) -> dict[str, Any]:
    return {"detail": error.message, "code": error.code.name, "field": error.location.field}


def _read_body(request: HttpRequest) -> dict[str, Any]:
    try:
        record = json.loads(request.body or b"null")
    except ValueError as error:
        raise PostGuardError(Code.E301, problem=str(error)) from None
    if not isinstance(record, dict):
        raise PostGuardError(Code.E308, kind=type(record).__name__)
    return record


def _refuse_files(record: dict[str, Any]) -> None:
    """Pictures are described, never named by path: the server's files are not the caller's."""
    images = record.get("images")
    for index, image in enumerate(images if isinstance(images, list) else ()):
        if isinstance(image, str) or (isinstance(image, dict) and "path" in image):
            field = f"images[{index}].path" if isinstance(image, dict) else f"images[{index}]"
            raise PostGuardError(Code.E307, Location(field=field), field=field,
                                 problem="the API reads no files; describe the picture instead")


@router.post("/checks", response={200: dict[str, Any], 422: Problem},
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": POST_SCHEMA}}}},
             summary="Check a post against the school's policy")
def check_post(request: HttpRequest) -> tuple[int, dict[str, Any]]:
    require(request, "checks.use")
    user = cast(User, request.user)  # require() has turned strangers away
    policy = policy_in_force()
    if policy is None:
        raise HttpError(503, "the school has not been set up yet")
    try:
        record = _read_body(request)
        save = record.pop("save", False)
        if not isinstance(save, bool):
            raise PostGuardError(Code.E307, Location(field="save"), field="save",
                                 problem="expected true or false")
        _refuse_files(record)
        if isinstance(record.get("text"), str) and len(record["text"]) > MAX_DRAFT:
            raise PostGuardError(Code.E307, Location(field="text"), field="text",
                                 problem=f"longer than {MAX_DRAFT:,} characters")
        if record.get("author") is None:
            record["author"] = user.person_id or None
        if record.get("posted_at") is None:  # as on the check page: going out now
            record["posted_at"] = timezone.now().isoformat()
        post = post_from_dict(record)
    except PostGuardError as error:
        return 422, _problem(error)
    if post.author is not None and (
            (person := policy.school.find(post.author)) is None
            or person.id != user.person_id):
        raise HttpError(403, "you may check only your own posts: leave out author, "
                             "or give your own roster id")
    result = policy.checker.check(post)
    record_check(user, post, result, policy, CheckRecord.Source.API, keep_text=save)
    return 200, result.as_dict()


def _summary(pack: Pack) -> dict[str, Any]:
    return {"id": pack.id, "title": pack.title, "publisher": pack.publisher,
            "version": pack.version, "rules": len(pack.rules)}


@router.get("/packs", response=list[PackSummary], summary="The policy packs PostGuard knows")
def list_packs(request: HttpRequest) -> list[dict[str, Any]]:
    require(request, "policies.read")
    return [_summary(pack) for pack in available_packs()]


@router.get("/packs/{pack_id}", response={200: PackOut, 404: Problem},
            summary="One policy pack and its rules")
def read_pack(request: HttpRequest, pack_id: str) -> tuple[int, dict[str, Any]]:
    require(request, "policies.read")
    try:
        pack = load_pack(pack_id)
    except PostGuardError as error:
        return 404, _problem(error)
    rules = [rule.model_dump(include=set(RuleOut.model_fields)) for rule in pack.rules]
    return 200, {**_summary(pack), "summary": pack.summary, "rules": rules}
