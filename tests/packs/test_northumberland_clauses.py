"""The Northumberland pack turns every clause of the HR for Schools Social Networking Policy and
Guidance that governs a post, or advises on one, into rules.

Clauses deliberately without rules, because they govern nobody's posting:
  1.1 (introduction), 2.1-2.3 (definition and scope), 3 (roles: employees are expected to follow
  the policy, head teachers disseminate it; in `procedures.dissemination`), 4.1 (points to the Code
  of Conduct), 5.2 (restates 4.1-4.7 for personal use), 6.2 (a freedom, not a limit: staff in
  other posts may post political views), 7.1 (misconduct and gross misconduct; in
  `procedures.investigation`), 7.3 (business use follows the general policy, 4.x), 8.1 (review
  every three years; in `procedures.review`), 8.2 (read with the Code of Conduct).
  Appendix 1 (the guidelines; the policy numbers no §5): §1-4 and §7 (context), §11-13 (the
  Council's own corporate pages, run by its communications team), §15 (why there is one
  corporate presence), §16-18 (what to do on coming across mentions of the school: negative to
  the head teacher, praise to the communications team; in `procedures.reporting`), §20-21 (the
  Council's own monitoring staff), §23-25 (warnings that discipline can follow, with no standard
  of their own), §27 (restates 5.1, whose rule cites it), and the glossary.
"""

from __future__ import annotations

from postguard.policy.loader import load_pack

EXPECTED_CLAUSES = {
    "4.2",  # personal information: own, pupils', parents' and the school community's
    "4.3",  # professional forums: stay professional and on topic
    "4.4",  # disrepute (with App. 1 §22 "mention the school ... negative" and §26 "bad employer")
    "4.5",  # confidentiality: staff and pupil matters
    "4.6",  # safeguarding: concerns and case details, reported to the DSL
    "4.7",  # bullying, harassment, discrimination, offensive and defamatory content
    "5.1",  # no personal use in working time (App. 1 §27)
    "5.3",  # no contact with pupils (and ex-pupils under 18)
    "5.4",  # understand privacy settings
    "5.5",  # no work email, no school logo on personal sites
    "5.6",  # personal-opinion stance; avoid references to the school and its people
    "5.7",  # consideration for others and for the school's reputation
    "6.1",  # no political statements from politically restricted posts
    "6.3",  # caution about sitting administrations
    "7.2",  # official accounts: authorised employees only
    "App. 1 §6",  # do not place yourself or others at risk of harm
    "App. 1 §8",  # be guarded about anything related to work
    "App. 1 §9",  # if you would not say it out loud, do not post it
    "App. 1 §10",  # do not share information you are asked for online
    "App. 1 §14",  # official posts approved by head teacher or chair; no speaking for the school
    "App. 1 §19",  # comments defending the school: check accuracy
    "App. 1 §22",  # sensitive photos, non-work photos at work, school information, complaints
    "App. 1 §26",  # threats (the law applies online); never give out personal information
}


def test_northumberland_rules_cover_exactly_the_expected_clauses() -> None:
    pack = load_pack("northumberland")
    assert {rule.clause for rule in pack.rules} == EXPECTED_CLAUSES


def test_northumberland_procedures_are_given() -> None:
    procedures = load_pack("northumberland").procedures
    assert procedures.review is not None
    assert procedures.review.period_months == 36 and procedures.review.clause == "8.1"
    assert procedures.dissemination is not None
    assert procedures.dissemination.responsible == "head_teacher"
    assert procedures.dissemination.written_records == "recommended"
    assert procedures.dissemination.clause == "3"
    assert procedures.reporting["negative_mention"].to == "head_teacher"
    assert procedures.reporting["negative_mention"].clause == "App. 1 §17"
    assert procedures.reporting["positive_mention"].to == "communications_team"
    assert procedures.reporting["positive_mention"].clause == "App. 1 §18"
    assert procedures.official_accounts is not None
    assert set(procedures.official_accounts.approval_by) == {"head_teacher", "chair_of_governors"}
    assert procedures.official_accounts.clause == "App. 1 §14"


def test_northumberland_safeguarding_is_serious_and_reported() -> None:
    pack = load_pack("northumberland")
    safeguarding = [rule for rule in pack.rules if rule.category == "safeguarding"]
    assert safeguarding
    for rule in safeguarding:
        assert rule.severity == "serious"
        assert rule.report_to == "designated_safeguarding_lead"


def test_northumberland_advice_and_breach_follow_the_policy_wording() -> None:
    pack = load_pack("northumberland")
    severity = {rule.id: rule.severity for rule in pack.rules}
    assert severity["6.3-sitting-administrations"] == "advice"  # "should be cautious"
    assert severity["5.6-reference-to-school"] == "advice"  # a neutral mention is only advice
    assert severity["5.3-pupil-contact"] == "breach"  # "must not"
    assert severity["5.1-working-time"] == "breach"  # "must not"
