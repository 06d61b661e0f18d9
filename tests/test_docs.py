"""Every setting a school or pack author can write is documented (as datasette insists)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from postguard.engine.signals import SIGNAL_KINDS
from postguard.policy import model as pack_model
from postguard.policy.categories import CATEGORIES
from postguard.school import model as school_model

DOCS = Path(__file__).resolve().parent.parent / "docs"


def documented_names(page: str) -> set[str]:
    return set(re.findall(r"`([a-z_.\-]+)`", (DOCS / page).read_text()))


def fields_of(*models: type[BaseModel]) -> list[tuple[str, str]]:
    return [(model.__name__, name) for model in models for name in model.model_fields]


SCHOOL_MODELS = (school_model.School, school_model.People, school_model.Person,
                 school_model.OfficialAccount, school_model.Timetable, school_model.Period,
                 school_model.DateRange, school_model.PolicyChoice, school_model.RuleOverride)
PACK_MODELS = (pack_model.Pack, pack_model.Rule, pack_model.Applies, pack_model.Trigger,
               pack_model.Examples, pack_model.Procedures, pack_model.Route, pack_model.Review,
               pack_model.Dissemination, pack_model.OfficialAccountsProcedure,
               pack_model.Cyberbullying, pack_model.Investigation)


@pytest.mark.parametrize(("model", "field"), fields_of(*SCHOOL_MODELS))
def test_every_school_setting_is_documented(model: str, field: str) -> None:
    assert field in documented_names("school.md"), f"{model}.{field} is not in docs/school.md"


@pytest.mark.parametrize(("model", "field"), fields_of(*PACK_MODELS))
def test_every_pack_field_is_documented(model: str, field: str) -> None:
    assert field in documented_names("packs.md"), f"{model}.{field} is not in docs/packs.md"


@pytest.mark.parametrize("kind", sorted(SIGNAL_KINDS))
def test_every_signal_is_documented(kind: str) -> None:
    assert kind in documented_names("signals.md"), f"{kind} is not in docs/signals.md"


@pytest.mark.parametrize("category", sorted(CATEGORIES))
def test_every_category_is_in_the_public_contract(category: str) -> None:
    assert f"`{category}`" in (DOCS / "categories.md").read_text()
