"""The NEU pack turns every clause of the NEU model policy that governs a post into rules.

Clauses deliberately without rules, because they govern nobody's posting:
  1 (introduction), 2.1-2.5 (purpose and scope), 3.2-3.3 (duties of managers and HR),
  4.1 (definition of social media), the risk list in 6.1 (context for the rule that is there),
  7.2 (urgency), 7.3 (harassment received on work accounts), 8.2 (keeping evidence),
  9.1-9.6 (the employer's takedown and investigation), 10.1-10.5 (breaches and outcomes),
  11.1-11.3 (monitoring, review, contract), 12.1 (legislation list), 13.1 (conclusion).
The procedural ones among them (7.2, 7.3, 8.1-8.2, 9.x, 10.x, 11.2) are in the pack's
`procedures`. Appendix bullets with no rule of their own: "Follow this social media policy"
(generic), "check and refresh your site page", "use the remove tag feature" (acts on others'
content), and the bullets that repeat 5.2 and 5.3
(offensive, derogatory, defamatory content; adding pupils or parents as friends), which the
5.2 and 5.3 rules cover.
"""

from __future__ import annotations

from postguard.policy.loader import load_pack

EXPECTED_CLAUSES = {
    "3.1",  # excessive use in school; "if in doubt, don't post it"
    "5.1",  # friends-only is not private
    "5.2",  # confidential, bullying, discrimination, lewd, threats, disrepute, libel, copyright
    "5.3",  # friend requests with pupils, ex-pupils under 18, parents; parents officially
    "5.4",  # no social media in lesson time
    "6.1",  # never use information to locate or meet a child
    "7.1",  # safeguarding concerns to the lead safeguarding officer
    "8.1",  # never engage with cyberbullying
    "Appendix",  # responsible use guidance for staff
}


def test_neu_rules_cover_exactly_the_expected_clauses() -> None:
    pack = load_pack("neu")
    assert {rule.clause for rule in pack.rules} == EXPECTED_CLAUSES


def test_neu_procedures_are_given() -> None:
    procedures = load_pack("neu").procedures
    assert procedures.review is not None and procedures.review.period_months == 12
    assert procedures.reporting["safeguarding"].to == "designated_safeguarding_lead"
    assert procedures.cyberbullying is not None
    assert procedures.cyberbullying.takedown_hours == 24
    assert procedures.cyberbullying.report_to == "senior_manager"
    assert procedures.investigation is not None and procedures.investigation.by == "senior_manager"
    assert len(procedures.investigation.seriousness_factors) == 4


def test_neu_reports_safeguarding_to_the_safeguarding_lead() -> None:
    pack = load_pack("neu")
    for rule in pack.rules:
        if rule.category == "safeguarding":
            assert rule.severity == "serious"
            assert rule.report_to == "designated_safeguarding_lead"
