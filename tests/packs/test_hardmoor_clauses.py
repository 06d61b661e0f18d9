"""The Hardmoor pack turns every statement of the Hardmoor Early Years Centre Social Networking
Policy that governs a post, or advises on one, into rules. The policy has no clause numbers, so
its headings are the clauses.

Parts deliberately without rules, because they govern nobody's posting:
  the purpose paragraphs of the policy statement (only its working-time ban is a rule),
  "Eligibility" (scope and definitions), "Responsibility & Accountability" (duties of the Head of
  Centre, managers, HR/Payroll and governors, and staff raising queries; in `procedures`:
  dissemination, annual review, investigation, queries), the "Security" sentences that describe
  rather than ask (regard unclear content as public; personal details seen by families are
  reported to the line manager, in `procedures.reporting`), the "Policy Breaches" sentences on
  disciplinary sanctions and professional bodies' own codes, and the Appendix 1 measures that set
  up the pages or act on other people's entries (page name and logo, visitor entries
  pre-moderated, events approved by the Head of Centre, comments moderated and negative reviews
  reported, friend requests to the centre's page; in `procedures.official_accounts`).
"""

from __future__ import annotations

from postguard.policy.loader import load_pack

EXPECTED_CLAUSES = {
    "Policy statement",  # no social networking in working time or on centre equipment
    "Friends/Befriending",  # never befriend pupils or their families
    "Content of interactions",  # references, confidentiality, derogatory/defamatory/
    # discriminatory/offensive content, logo, photos, effectiveness, grievances, the centre's page
    "Security",  # keep accounts private; only post what may be public
    "Policy Breaches",  # copyright, data protection and safeguarding law apply
    "App. 1",  # the centre's pages: approved staff, centre email, consent, approval, links,
    # no bad language, positive light, no personal views
}


def test_hardmoor_rules_cover_exactly_the_expected_clauses() -> None:
    pack = load_pack("hardmoor")
    assert {rule.clause for rule in pack.rules} == EXPECTED_CLAUSES


def test_hardmoor_procedures_are_given() -> None:
    procedures = load_pack("hardmoor").procedures
    assert procedures.review is not None and procedures.review.period_months == 12
    assert procedures.review.by == ("governing body",)
    assert procedures.reporting["breach"].to == "head_teacher"
    assert procedures.reporting["breach"].clause == "Policy Breaches"
    official = procedures.official_accounts
    assert official is not None
    assert official.approval_by == ("senior_manager",)
    assert official.photo_consent == "written"
    assert official.links_approved_by == "head_teacher"
    assert official.visitor_comments == "pre_moderated"
    assert official.negative_comments_to == "head_teacher"
    assert official.events_approved_by == "head_teacher"
    assert official.clause == "App. 1"


def test_hardmoor_official_account_rules_apply_only_to_official_accounts() -> None:
    pack = load_pack("hardmoor")
    for rule in pack.rules:
        if rule.clause == "App. 1":
            assert rule.applies.account == ("official",)


def test_hardmoor_safeguarding_is_serious_and_reported() -> None:
    pack = load_pack("hardmoor")
    safeguarding = [rule for rule in pack.rules if rule.category == "safeguarding"]
    assert safeguarding
    for rule in safeguarding:
        assert rule.severity == "serious"
        assert rule.report_to == "designated_safeguarding_lead"
