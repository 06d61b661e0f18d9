"""A check's result as the check page shows it: plain words, the draft marked up, safer wording."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString

from postguard.engine.checker import CheckResult, Finding
from postguard.errors import PostGuardError
from postguard.policy.loader import load_pack
from postguard.policy.model import REPORT_ROLE_WORDS
from postguard.school.model import School
from postguard.web.checks.highlight import highlight, without_identifying_details

VERDICT_LABELS = {"ok": "OK", "advice": "Advice", "breach": "Breach", "serious": "Serious"}
VERDICT_WORDS = {
    "ok": "Nothing found: this looks fine to post.",
    "advice": "Some advice: the policy recommends a change, but this may go out.",
    "breach": "This would break the policy. Change it before posting.",
    "serious": "This would be a serious breach. Do not post it; read who to tell below.",
}
REPORT_TO_WORDS = REPORT_ROLE_WORDS
# The school roster's roles that answer to each reporting role, to name the actual people.
ROSTER_ROLE = {
    "designated_safeguarding_lead": "designated_safeguarding_lead",
    "head_teacher": "head_teacher",
    "communications_team": "communications_officer",
    "hr": "hr",
}


def category_words(category: str) -> str:
    return category.replace("_", " ").capitalize()


def pack_title(pack_id: str) -> str:
    """The title of the pack that wrote a rule (a local pack that is not bundled: its id)."""
    try:
        return load_pack(pack_id).title
    except PostGuardError:
        return pack_id


def report_to_words(role: str, school: School) -> str:
    words = REPORT_TO_WORDS.get(role, role.replace("_", " "))
    roster_role = ROSTER_ROLE.get(role)
    names = [person.name for person in school.everyone
             if roster_role is not None and roster_role in person.roles]
    return f"{words} ({', '.join(names)})" if names else words


@dataclass(frozen=True)
class FindingView:
    finding: Finding
    category: str
    pack_title: str
    evidence: list[str]
    explanations: list[str]
    report_to: str | None
    rewrite: str | None


@dataclass(frozen=True)
class ResultView:
    verdict: str
    verdict_label: str
    verdict_words: str
    marked_text: SafeString
    findings: list[FindingView]


def present(text: str, result: CheckResult, school: School) -> ResultView:
    findings = [
        FindingView(
            finding=finding,
            category=category_words(finding.category),
            pack_title=pack_title(finding.pack),
            evidence=list(dict.fromkeys(item.text for item in finding.evidence if item.text)),
            explanations=list(dict.fromkeys(item.explanation for item in finding.evidence
                                            if item.text is None and item.explanation)),
            report_to=report_to_words(finding.report_to, school) if finding.report_to else None,
            rewrite=without_identifying_details(text, finding),
        )
        for finding in result.findings
    ]
    spans = [(item.start, item.end) for finding in result.findings for item in finding.evidence]
    return ResultView(verdict=result.verdict, verdict_label=VERDICT_LABELS[result.verdict],
                      verdict_words=VERDICT_WORDS[result.verdict],
                      marked_text=highlight(text, spans), findings=findings)
