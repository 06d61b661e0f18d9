"""Adopting the policy, local edits as new versions, the difference between versions,
publishing, and staff reading and acknowledging the published version (Westmoor Primary)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from postguard.engine.checker import Checker
from postguard.engine.post import post_from_dict
from postguard.policy.loader import load_pack
from postguard.web.audit.models import AuditEntry
from postguard.web.policies import lifecycle
from postguard.web.policies.current import published_pack
from postguard.web.policies.models import Acknowledgement, PolicyVersion

SITTING = "6.3-sitting-administrations"
COUNCIL_POST = "The county council's cabinet has made a complete mess of the school bus cuts"


def edit_fields(version: PolicyVersion, **changes: dict[str, Any]) -> dict[str, Any]:
    """The edit form as the browser sends it: every rule as it stands, plus ``changes``."""
    from postguard.web.policies.edits import rule_states

    data: dict[str, Any] = {"local_note": version.local_note, "change_summary": ""}
    for rule_id, state in rule_states(version.pack_id, version.edits).items():
        fields = {"enabled": state.enabled, "severity": state.severity,
                  "message": state.message, "advice": state.advice, **changes.get(rule_id, {})}
        for name, value in fields.items():
            if name == "enabled":
                if value:
                    data[f"rule:{rule_id}:enabled"] = "on"
            else:
                data[f"rule:{rule_id}:{name}"] = value
    return data


@pytest.fixture
def head(client: Client, signed_in: Callable[[Client, str], Any], demo_school: Any) -> Any:
    return signed_in(client, "head")


@pytest.fixture
def adopted(head: Any) -> PolicyVersion:
    return lifecycle.adopt("northumberland", head)


def test_the_head_teacher_adopts_a_bundled_pack_as_draft_version_one(
        client: Client, head: Any) -> None:
    response = client.post(reverse("policies:adopt"), {"pack": "northumberland"})
    version = PolicyVersion.objects.get()
    assert response.status_code == 302
    assert (version.number, version.pack_id, version.published_at) == (1, "northumberland", None)
    assert AuditEntry.objects.filter(action="policy.adopt").exists()


def test_the_manage_page_offers_every_bundled_pack(client: Client, head: Any) -> None:
    page = client.get(reverse("policies:manage")).content.decode()
    for title in ("Social Networking Policy and Guidance", "NEU"):
        assert title in page


def test_a_local_edit_saves_a_new_version_and_leaves_the_old_one_as_it_was(
        client: Client, adopted: PolicyVersion) -> None:
    data = edit_fields(adopted, **{SITTING: {"enabled": False},
                                   "5.1-working-time": {"severity": "advice"}})
    data["change_summary"] = "Governors asked for a lighter touch on breaks"
    response = client.post(reverse("policies:edit", args=[1]), data)
    assert response.status_code == 302
    new = PolicyVersion.objects.get(number=2)
    assert new.edits == {SITTING: {"enabled": False}, "5.1-working-time": {"severity": "advice"}}
    assert new.based_on == adopted
    adopted.refresh_from_db()
    assert adopted.edits == {}
    assert AuditEntry.objects.filter(action="policy.edit", subject="policy version 2").exists()


def test_saving_the_edit_form_unchanged_makes_no_new_version(
        client: Client, adopted: PolicyVersion) -> None:
    client.post(reverse("policies:edit", args=[1]), edit_fields(adopted))
    assert PolicyVersion.objects.count() == 1


def test_the_difference_between_versions_names_the_changed_rule_and_the_reworded_words(
        client: Client, head: Any, adopted: PolicyVersion) -> None:
    lifecycle.save_edits(adopted, {
        SITTING: {"enabled": False},
        "5.1-working-time": {"advice": "Keep your phone in your bag until the lunch break."},
    }, "", "Local changes", head)
    page = client.get(reverse("policies:changes"), {"older": 1, "newer": 2}).content.decode()
    assert "Comments on sitting administrations" in page
    assert "no (turned off)" in page
    assert "<ins><span class=\"visually-hidden\">[added: </span>Keep your phone" in page
    assert "2 rules differ between version 1 and version 2" in page


def test_publishing_makes_the_version_current_with_its_edits_applied(
        client: Client, head: Any, adopted: PolicyVersion) -> None:
    draft = lifecycle.save_edits(adopted, {
        SITTING: {"enabled": False},
        "5.5-work-email": {"advice": "Use your own email address for anything personal."},
    }, "", "", head)
    assert draft is not None and published_pack() is None
    client.post(reverse("policies:publish", args=[draft.number]))
    resolved = published_pack()
    assert resolved is not None
    pack, label = resolved
    assert label.startswith("v2 (published ")
    assert pack.rule(SITTING) is None
    rule = pack.rule("5.5-work-email")
    assert rule is not None and rule.advice == "Use your own email address for anything personal."
    assert rule.clause == "5.5"
    assert AuditEntry.objects.filter(action="policy.publish", subject="policy version 2").exists()


def test_a_rule_turned_off_in_the_published_version_does_not_fire_in_the_checker(
        head: Any, adopted: PolicyVersion, school: Any) -> None:
    draft = lifecycle.save_edits(adopted, {SITTING: {"enabled": False}}, "", "", head)
    assert draft is not None
    lifecycle.publish(draft, head)
    resolved = published_pack()
    assert resolved is not None
    result = Checker(school, pack=resolved[0]).check(post_from_dict({"text": COUNCIL_POST}))
    assert SITTING not in [finding.rule for finding in result.findings]


def test_publishing_a_later_version_replaces_the_current_one(
        head: Any, adopted: PolicyVersion) -> None:
    lifecycle.publish(adopted, head)
    later = lifecycle.adopt("neu", head)
    lifecycle.publish(later, head)
    assert list(PolicyVersion.objects.filter(is_current=True)) == [later]
    resolved = published_pack()
    assert resolved is not None and resolved[0].id == "neu"


def test_a_published_version_cannot_be_published_again(
        client: Client, head: Any, adopted: PolicyVersion) -> None:
    lifecycle.publish(adopted, head)
    response = client.post(reverse("policies:publish", args=[1]), follow=True)
    assert "was published already" in response.content.decode()
    assert AuditEntry.objects.filter(action="policy.publish").count() == 1


def test_a_teacher_cannot_publish_or_manage_the_policy(
        client: Client, signed_in: Callable[[Client, str], Any], make_user: Callable[[str], Any],
        demo_school: Any) -> None:
    draft = lifecycle.adopt("northumberland", make_user("head"))
    signed_in(client, "teacher")
    response = client.post(reverse("policies:publish", args=[draft.number]))
    assert response.status_code == 403
    assert "Head teacher" in response.content.decode()
    assert client.get(reverse("policies:manage")).status_code == 403
    draft.refresh_from_db()
    assert draft.published_at is None


def test_staff_read_the_published_policy_grouped_by_category_with_its_procedures(
        client: Client, signed_in: Callable[[Client, str], Any], head: Any,
        adopted: PolicyVersion) -> None:
    lifecycle.publish(adopted, head)
    signed_in(client, "teacher")
    page = client.get(reverse("policies:current")).content.decode()
    assert "Social Networking Policy and Guidance" in page
    assert '<h3 id="category-safeguarding">Safeguarding</h3>' in page
    assert "Clause 4.6" in page
    assert "Tell the designated safeguarding lead" in page
    assert "Every 36 months" in page
    assert "The school's official accounts" in page
    assert "I have read and understood version 1" in page


def test_the_policy_page_says_when_nothing_has_been_published(
        client: Client, signed_in: Callable[[Client, str], Any], demo_school: Any) -> None:
    signed_in(client, "teacher")
    assert "No version of the policy has been published yet" in client.get(
        reverse("policies:current")).content.decode()


def test_a_teacher_acknowledges_the_current_version_online(
        client: Client, signed_in: Callable[[Client, str], Any], head: Any,
        adopted: PolicyVersion) -> None:
    lifecycle.publish(adopted, head)
    teacher = signed_in(client, "teacher")
    response = client.post(reverse("policies:acknowledge"), {"version": "1"}, follow=True)
    ack = Acknowledgement.objects.get(user=teacher)
    assert (ack.version, ack.how, ack.recorded_by) == (adopted, "online", teacher)
    assert "You acknowledged version 1" in response.content.decode()
    entry = AuditEntry.objects.get(action="policy.acknowledge")
    assert (entry.actor, entry.data["how"]) == ("teacher", "online")


def test_acknowledging_twice_keeps_one_acknowledgement(
        client: Client, signed_in: Callable[[Client, str], Any], head: Any,
        adopted: PolicyVersion) -> None:
    lifecycle.publish(adopted, head)
    signed_in(client, "teacher")
    for _ in range(2):
        client.post(reverse("policies:acknowledge"), {"version": "1"})
    assert Acknowledgement.objects.count() == 1


def test_acknowledging_a_version_that_has_been_replaced_is_refused(
        client: Client, signed_in: Callable[[Client, str], Any], head: Any,
        adopted: PolicyVersion) -> None:
    lifecycle.publish(adopted, head)
    lifecycle.publish(lifecycle.adopt("neu", head), head)
    signed_in(client, "teacher")
    response = client.post(reverse("policies:acknowledge"), {"version": "1"}, follow=True)
    assert "A newer version of the policy has been published" in response.content.decode()
    assert not Acknowledgement.objects.exists()


def test_reworded_advice_containing_markup_is_shown_as_text(
        client: Client, signed_in: Callable[[Client, str], Any], head: Any,
        adopted: PolicyVersion) -> None:
    draft = lifecycle.save_edits(
        adopted, {"5.5-work-email": {"advice": "<script>alert('x')</script> Use your own."}},
        "<b>Ask Mrs Hughes</b>", "", head)
    assert draft is not None
    lifecycle.publish(draft, head)
    signed_in(client, "teacher")
    page = client.get(reverse("policies:current")).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Use your own." in page
    assert "<script>alert" not in page
    assert "&lt;b&gt;Ask Mrs Hughes&lt;/b&gt;" in page


def test_the_accessible_version_is_plain_html_without_scripts_with_a_large_print_option(
        client: Client, signed_in: Callable[[Client, str], Any], head: Any,
        adopted: PolicyVersion) -> None:
    lifecycle.publish(adopted, head)
    signed_in(client, "teacher")
    standard = client.get(reverse("policies:accessible")).content.decode()
    large = client.get(reverse("policies:accessible"), {"print": "large"}).content.decode()
    assert "<script" not in standard and "<script" not in large
    assert "Large print" in standard and '<body class="large">' in large
    assert "@media print" in standard
    assert "Clause 4.6" in large


def test_the_edit_page_offers_every_rule_with_its_clause_and_labelled_fields(
        client: Client, adopted: PolicyVersion) -> None:
    page = client.get(reverse("policies:edit", args=[1])).content.decode()
    rules = load_pack("northumberland").rules
    assert page.count('<details class="policy-edit-rule"') == len(rules)
    assert "Comments on sitting administrations" in page and "(clause 6.3)" in page
    assert f'<label for="id_rule:{SITTING}:advice">Advice</label>' in page
    assert "clause" not in [name.split(":")[-1] for name in edit_fields(adopted)]


def test_the_version_page_shows_what_changed_from_the_version_it_was_made_from(
        client: Client, head: Any, adopted: PolicyVersion) -> None:
    lifecycle.save_edits(adopted, {SITTING: {"severity": "breach"}}, "", "Stricter on 6.3", head)
    page = client.get(reverse("policies:version", args=[2])).content.decode()
    assert "Changes from version 1" in page
    assert "Comments on sitting administrations" in page
    assert "<td>Severity</td>" in page and "Draft:" in page


def test_a_version_saved_without_a_summary_says_what_changed(
        head: Any, adopted: PolicyVersion) -> None:
    saved = lifecycle.save_edits(adopted, {SITTING: {"enabled": False}}, "Ask Mr Patel.", "",
                                 head)
    assert saved is not None
    assert saved.change_summary == "1 rule changed, local note changed (from version 1)"
