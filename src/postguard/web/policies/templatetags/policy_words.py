"""Plain words for the policy's internal names (roles, categories, severities)."""

from __future__ import annotations

from django import template

from postguard.errors import PostGuardError
from postguard.policy.categories import CATEGORIES
from postguard.policy.loader import load_pack
from postguard.policy.model import REPORT_ROLE_WORDS

register = template.Library()

ROLE_WORDS = REPORT_ROLE_WORDS
SEVERITY_WORDS = {"advice": "Advice", "breach": "Breach", "serious": "Serious breach"}


@register.filter
def role_words(name: str) -> str:
    """A reporting role as a person would say it; free text (a pack's own words) unchanged."""
    return ROLE_WORDS.get(name, name.replace("_", " "))


@register.filter
def plain(name: str) -> str:
    """An internal name such as ``negative_mention`` as ordinary words."""
    return str(name).replace("_", " ").replace("-", " ").capitalize()


@register.filter
def category_words(name: str) -> str:
    return name.replace("_", " ").capitalize() if name in CATEGORIES else name


@register.filter
def severity_words(name: str) -> str:
    return SEVERITY_WORDS.get(name, name)


@register.filter
def pack_publisher(pack_id: str) -> str:
    """Who wrote a bundled pack: how a head teacher tells the model policies apart."""
    try:
        return load_pack(pack_id).publisher
    except PostGuardError:
        return pack_id
