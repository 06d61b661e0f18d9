"""The Kettleshulme pack turns every clause of the school's policy that governs a post into rules.

Clauses deliberately without rules, because they govern nobody's posting:
  "Aims" and "Principles" (why the policy exists; the profile point is the rule under "Social
  media in a personal capacity"), "Definition of social media", "Storage of personal devices
  during the school day" (where phones are kept, not what is posted), "Defamatory statements"
  (a definition; the conduct is item (a)), "Disciplinary Action" (consequences: the pack's
  `procedures.investigation`, and the severity of bullying colleagues), "Equality" (how the
  policy is applied: `procedures.dissemination`). Statements with no signal to detect them:
  using the school's own computers or devices for personal social media, discreet use never in
  front of pupils, information that could give unauthorised access to the school, excluding
  others socially, searching for your own name, helping friends with their pages.
"""

from __future__ import annotations

from postguard.policy.loader import load_pack

EXPECTED_CLAUSES = {
    "Personal use of social media at work",  # official rest breaks only
    "Social media in a personal capacity",  # no school name on a profile; friends with parents
    "(a)",  # disrepute: criticism, grievances, arguing, defamation, photos at work, bad links
    "(b)",  # confidentiality: school information, colleagues, children
    "(c)",  # position of trust: contact, friend requests, photos of children
    "(d)",  # copyright
    "(e)",  # discrimination, bullying, harassment, offensive images
    "Security and identity theft",  # abusive messages, identity details, not private
    "Libellous statements",  # data protection, whistleblowing procedure, safeguarding law
    "Parent/Carer's Responsibility",  # pupils on the school's page have parental permission
}


def test_kettleshulme_rules_cover_exactly_the_expected_clauses() -> None:
    pack = load_pack("kettleshulme")
    assert {rule.clause for rule in pack.rules} == EXPECTED_CLAUSES


def test_kettleshulme_procedures_are_given() -> None:
    procedures = load_pack("kettleshulme").procedures
    assert procedures.review is None  # the policy sets no review period
    assert procedures.reporting["compromised_account"].to == "line_manager"
    assert procedures.reporting["malicious_comments"].to == "head_teacher"
    assert procedures.reporting["malicious_comments"].then == ("chair_of_governors",)
    assert procedures.investigation is not None
    assert procedures.dissemination is not None and procedures.dissemination.clause == "Equality"


def test_kettleshulme_friends_with_parents_is_only_advice() -> None:
    rule = load_pack("kettleshulme").rule("friends-with-parents")
    assert rule is not None and rule.severity == "advice"
