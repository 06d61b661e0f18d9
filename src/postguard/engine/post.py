"""What is checked: a post, comment, message, friend request or profile, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from postguard.errors import Code, Location, PostGuardError

ACCOUNTS = ("personal", "official")
ACTIONS = ("post", "comment", "message", "friend_request", "profile")
AUDIENCES = ("public", "friends", "direct")


@dataclass(frozen=True)
class Image:
    """A picture attached to a post.

    What the poster declares about it (``shows_children``, ``consent``, ``source``) is used
    until image analysis can see for itself; a path must be readable.
    """

    path: str | None = None
    data: bytes | None = None
    description: str = ""
    shows_children: bool | None = None
    consent: bool | None = None
    contains_logo: bool | None = None
    taken_at_work: bool | None = None
    source: str | None = None


@dataclass(frozen=True)
class Post:
    text: str
    images: tuple[Image, ...] = ()
    links: tuple[str, ...] = ()
    author: str | None = None
    account: str = "personal"
    account_id: str | None = None
    action: str = "post"
    platform: str | None = None
    audience: str = "public"
    posted_at: datetime | None = None
    target: str | None = None
    approved_by: str | None = None
    id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


POST_FIELDS = (
    "id", "text", "images", "links", "author", "account", "account_id", "action", "platform",
    "audience", "posted_at", "target", "approved_by",
)
IMAGE_FIELDS = (
    "path", "description", "shows_children", "consent", "contains_logo", "taken_at_work", "source",
)


def parse_time(value: object, where: Location) -> datetime:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise PostGuardError(Code.E304, where, value=value) from None
    else:
        raise PostGuardError(Code.E304, where, value=value)
    if moment.tzinfo is None:
        raise PostGuardError(Code.E304, where, value=str(value))
    return moment


def _choice(record: dict[str, Any], name: str, allowed: tuple[str, ...], default: str,
            where: Location) -> str:
    value = record.get(name, default)
    if value is None:
        return default
    if value not in allowed:
        raise PostGuardError(Code.E305, where, field=name, allowed=", ".join(allowed), value=value)
    return str(value)


def _optional_text(record: dict[str, Any], name: str, where: Location) -> str | None:
    value = record.get(name)
    if value is None:
        return None
    if not isinstance(value, (str, int)):
        raise PostGuardError(Code.E307, where, field=name, problem="expected text")
    return str(value)


def _image(raw: object, index: int, base_dir: Path | None, where: Location) -> Image:
    name = f"images[{index}]"
    if isinstance(raw, str):
        raw = {"path": raw}
    if not isinstance(raw, dict):
        raise PostGuardError(Code.E307, where, field=name, problem="expected a path or an object")
    unknown = sorted(set(raw) - set(IMAGE_FIELDS))
    if unknown:
        raise PostGuardError(Code.E302, where, field=f"{name}.{unknown[0]}",
                             allowed=", ".join(IMAGE_FIELDS))
    path = raw.get("path")
    if path is not None:
        resolved = Path(path) if base_dir is None or Path(path).is_absolute() else base_dir / path
        try:
            with resolved.open("rb") as handle:
                handle.read(1)
        except OSError as problem:
            raise PostGuardError(Code.E306, where, path=str(path),
                                 problem=problem.strerror or str(problem)) from None
        path = str(resolved)
    flags: dict[str, bool | None] = {}
    for flag in ("shows_children", "consent", "contains_logo", "taken_at_work"):
        value = raw.get(flag)
        if value is not None and not isinstance(value, bool):
            raise PostGuardError(Code.E307, where, field=f"{name}.{flag}",
                                 problem="expected true or false")
        flags[flag] = value
    return Image(path=path, description=str(raw.get("description") or ""),
                 source=raw.get("source"), shows_children=flags["shows_children"],
                 consent=flags["consent"], contains_logo=flags["contains_logo"],
                 taken_at_work=flags["taken_at_work"])


def post_from_dict(record: object, where: Location | None = None,
                   base_dir: Path | None = None) -> Post:
    """Build a Post from a JSON object, naming the first field that is wrong."""
    where = where or Location()
    if not isinstance(record, dict):
        raise PostGuardError(Code.E308, where, kind=type(record).__name__)

    def at(name: str) -> Location:
        return Location(where.file, where.line, name)

    unknown = sorted(set(record) - set(POST_FIELDS))
    if unknown:
        raise PostGuardError(Code.E302, at(unknown[0]), field=unknown[0],
                             allowed=", ".join(POST_FIELDS))

    text = record.get("text")
    if text is None:
        raise PostGuardError(Code.E303, at("text"), field="text")
    if not isinstance(text, str):
        raise PostGuardError(Code.E307, at("text"), field="text", problem="expected text")
    posted_at = None
    if record.get("posted_at") is not None:
        posted_at = parse_time(record["posted_at"], at("posted_at"))
    images_raw = record.get("images") or []
    if not isinstance(images_raw, list):
        raise PostGuardError(Code.E307, at("images"), field="images", problem="expected a list")
    links_raw = record.get("links") or []
    if not isinstance(links_raw, list) or not all(isinstance(x, str) for x in links_raw):
        raise PostGuardError(Code.E307, at("links"), field="links",
                             problem="expected a list of addresses")
    images = []
    for index, raw in enumerate(images_raw):
        images.append(_image(raw, index, base_dir, at(f"images[{index}]")))
    return Post(
        id=_optional_text(record, "id", at("id")),
        text=text,
        images=tuple(images),
        links=tuple(links_raw),
        author=_optional_text(record, "author", at("author")),
        account=_choice(record, "account", ACCOUNTS, "personal", at("account")),
        account_id=_optional_text(record, "account_id", at("account_id")),
        action=_choice(record, "action", ACTIONS, "post", at("action")),
        platform=_optional_text(record, "platform", at("platform")),
        audience=_choice(record, "audience", AUDIENCES, "public", at("audience")),
        posted_at=posted_at,
        target=_optional_text(record, "target", at("target")),
        approved_by=_optional_text(record, "approved_by", at("approved_by")),
    )
