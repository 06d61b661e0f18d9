"""The Schools Managed 2010 pack turns every clause of the Social Networking Protocol for Schools
Managed Staff that governs a post, or advises on one, into rules.

Clauses deliberately without rules, because they govern nobody's posting:
  1.1-1.5 (purpose), 2.1-2.4 and 2.6-2.8 (scope, privacy, IT policy, related policies,
  consultation and review), 3.1 (expectation of the highest standards, given effect by the rules
  below), 5.1 (the school may investigate using online information; in
  `procedures.investigation`), 5.2 (personal e-mails, not social networking posts), 6.1 (the
  school's expectation about its reputation, restated by App. 2 (1)-(2)), 6.2-6.4 and the first
  6.3 (who addresses breaches and how they are investigated; in `procedures`).
  Appendix 1 reminders that state facts and ask nothing of the employee: (1) legal liability,
  (6) permanence of posts.
  Appendix 2 (7) (information about the school must not contradict the school's own) has no
  rule: no signal can tell that a post contradicts what the school has said.
The second paragraph numbered 6.3 (ask the Headteacher when in doubt) is "6.3 (in doubt)"; the
instruction before section 1 is "Preamble".
"""

from __future__ import annotations

from postguard.policy.loader import load_pack

EXPECTED_CLAUSES = {
    "Preamble",  # do not comment on anything related to the school (advice for a plain mention)
    "2.5",  # no use during work time without written permission
    "4.1",  # professional boundaries (adult ex-pupils)
    "4.2",  # no seeking social contact with pupils or their families
    "4.3",  # contact from a pupil or parent: discuss with the Headteacher first
    "6.3 (in doubt)",  # if in doubt, ask the Headteacher before posting
    "6.5 (1)",  # harassment, defamation, discrimination: possible gross misconduct
    "6.5 (2)",  # inappropriate interaction with children
    "6.5 (3)",  # improper disclosure, privacy, data protection
    "6.5 (4)",  # malicious and unjustified reputational damage
    "6.5 (5)",  # pornographic content, threats to health and safety
    "App. 1 (2)",  # posts not for the public: restrict the audience
    "App. 1 (3)",  # adding colleagues as friends
    "App. 1 (4)",  # no access for people you do not know
    "App. 1 (5)",  # unnamed work comments are still linked to the school
    "App. 1 (7)",  # restricted settings are no guarantee
    "App. 1 (8)",  # throwaway comments are misread
    "App. 2 (1)",  # disrepute, or harm to the employee's position
    "App. 2 (2)",  # derogatory comments about the school or colleagues
    "App. 2 (3)",  # letting off steam, complaints
    "App. 2 (4)",  # statements damaging working relationships
    "App. 2 (5)",  # harassing or bullying communications
    "App. 2 (6)",  # gossip and rumour
    "App. 2 (8)",  # views are one's own; not a representative of the school
    "App. 2 (9)",  # offensive or discriminatory remarks
    "App. 2 (10)",  # groups incompatible with the school's policies
    "App. 2 (11)",  # confidential information
    "App. 2 (12)",  # work email or numbers on personal profiles
    "App. 2 (13)",  # privacy of colleagues and service users
}


def test_schools_managed_rules_cover_exactly_the_expected_clauses() -> None:
    pack = load_pack("schools-managed-2010")
    assert {rule.clause for rule in pack.rules} == EXPECTED_CLAUSES


def test_schools_managed_gross_misconduct_list_is_serious() -> None:
    pack = load_pack("schools-managed-2010")
    listed = [rule for rule in pack.rules if rule.clause.startswith("6.5")]
    assert {rule.clause for rule in listed} == {f"6.5 ({n})" for n in range(1, 6)}
    assert all(rule.severity == "serious" for rule in listed)


def test_schools_managed_procedures_are_given() -> None:
    procedures = load_pack("schools-managed-2010").procedures
    assert procedures.review is None  # "kept under review" (2.8): no period is stated
    assert procedures.reporting["contact_from_pupil_or_parent"].to == "head_teacher"
    assert procedures.reporting["contact_from_pupil_or_parent"].clause == "4.3"
    assert procedures.reporting["in_doubt"].to == "head_teacher"
    assert procedures.reporting["safeguarding"].to == "designated_safeguarding_lead"
    assert procedures.investigation is not None
    assert len(procedures.investigation.seriousness_factors) >= 5


def test_schools_managed_safeguarding_is_serious_and_reported() -> None:
    pack = load_pack("schools-managed-2010")
    safeguarding = [rule for rule in pack.rules if rule.category == "safeguarding"]
    assert safeguarding
    for rule in safeguarding:
        assert rule.severity == "serious"
        assert rule.report_to == "designated_safeguarding_lead"
