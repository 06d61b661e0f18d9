"""The draft as HTML with its evidence marked, and the draft without a pupil's name or details."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from postguard.web.checks.highlight import highlight, without_identifying_details


def test_a_span_of_the_draft_is_wrapped_in_a_mark() -> None:
    assert highlight("Well done Jayden Robson!", [(10, 23)]) == (
        "Well done <mark>Jayden Robson</mark>!")


def test_overlapping_spans_become_one_mark_so_the_tags_nest() -> None:
    html = highlight("Jayden Robson in 6O", [(0, 13), (7, 19), (0, 6)])
    assert html == "<mark>Jayden Robson in 6O</mark>"


def test_separate_spans_are_marked_separately_in_order() -> None:
    assert highlight("Mia and Alfie", [(8, 13), (0, 3)]) == (
        "<mark>Mia</mark> and <mark>Alfie</mark>")


def test_a_script_in_the_draft_is_escaped_inside_and_outside_the_marks() -> None:
    text = "<script>alert(1)</script> Jayden <b>Robson</b>"
    html = highlight(text, [(0, 8), (26, 46)])
    assert "<script>" not in html and "<b>" not in html
    assert html == ("<mark>&lt;script&gt;</mark>alert(1)&lt;/script&gt; "
                    "<mark>Jayden &lt;b&gt;Robson&lt;/b&gt;</mark>")


def test_spans_without_offsets_or_outside_the_text_are_left_out() -> None:
    assert highlight("Fancy a chat?", [(None, None), (40, 50), (-3, 5)]) == (
        "<mark>Fancy</mark> a chat?")


def test_a_pupils_name_is_replaced_by_a_pupil(check: Callable[..., Any]) -> None:
    text = "So proud of Jayden Robson in the Year 6 play tonight"
    finding = next(f for f in check(text, author="s-okafor").findings
                   if f.category == "pupil_identification")
    assert without_identifying_details(text, finding) == (
        "So proud of a pupil in the Year 6 play tonight")


def test_a_sentence_that_starts_with_a_pupils_name_starts_with_a_capital(
        check: Callable[..., Any]) -> None:
    text = "Jayden Robson was brilliant in the Year 6 play today!"
    finding = next(f for f in check(text, author="s-okafor").findings
                   if f.category == "pupil_identification")
    assert without_identifying_details(text, finding) == (
        "A pupil was brilliant in the Year 6 play today!")


def test_personal_details_are_replaced_by_removed(check: Callable[..., Any]) -> None:
    text = "Spare bikes going free, call me on 07700 900 456 or pop round to 12 Moor Road"
    findings = [f for f in check(text, author="s-okafor").findings
                if f.category == "personal_data"]
    rewrites = {without_identifying_details(text, finding) for finding in findings}
    assert rewrites == {
        "Spare bikes going free, call me on 07700 900 456 or pop round to [removed]",
        "Spare bikes going free, call me on [removed] or pop round to 12 Moor Road",
    }


def test_a_finding_without_names_or_details_has_no_rewrite(check: Callable[..., Any]) -> None:
    text = "Fancy a chat later?"
    finding = check(text, author="s-okafor", action="friend_request",
                    target="p-robson").findings[0]
    assert without_identifying_details(text, finding) is None
