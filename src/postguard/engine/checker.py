"""The checker: built once from a pack and a school; a Post in, a CheckResult out."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from postguard.engine.detector import Detector
from postguard.engine.post import Post
from postguard.engine.registry import detectors as registered_detectors
from postguard.engine.signals import Signal, kinds_matching
from postguard.engine.text import Document
from postguard.policy.categories import Severity
from postguard.policy.loader import apply_overrides, load_pack
from postguard.policy.model import Pack, Rule
from postguard.school.model import School


@dataclass(frozen=True)
class Evidence:
    start: int | None
    end: int | None
    text: str | None
    signal: str
    explanation: str
    score: float

    def as_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "signal": self.signal,
                "explanation": self.explanation, "score": round(self.score, 4)}


@dataclass(frozen=True)
class Finding:
    category: str
    severity: str
    rule: str
    pack: str
    clause: str
    title: str
    message: str
    advice: str
    evidence: tuple[Evidence, ...]
    report_to: str | None = None
    suggestion: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "category": self.category, "severity": self.severity, "rule": self.rule,
            "pack": self.pack, "clause": self.clause, "title": self.title,
            "message": self.message, "advice": self.advice,
            "evidence": [item.as_dict() for item in self.evidence],
            "report_to": self.report_to, "suggestion": self.suggestion,
        }


@dataclass
class CheckResult:
    verdict: str
    findings: list[Finding]
    scores: dict[str, float]
    signals: list[Signal]
    timings_ms: dict[str, float] = field(default_factory=dict)
    id: str | None = None

    def as_dict(self, text: str = "", with_signals: bool = False) -> dict[str, Any]:
        result: dict[str, Any] = {
            "id": self.id,
            "verdict": self.verdict,
            "findings": [finding.as_dict() for finding in self.findings],
            "scores": {name: round(value, 4) for name, value in self.scores.items()},
        }
        if with_signals:
            result["signals"] = [signal.as_dict(text) for signal in self.signals]
            result["timings_ms"] = {k: round(v, 3) for k, v in self.timings_ms.items()}
        return result


def _verdict(findings: Iterable[Finding]) -> str:
    top = max((Severity.parse(finding.severity) for finding in findings), default=None)
    return "ok" if top is None else top.label


class _CompiledRule:
    """A rule with its patterns expanded to the concrete signal kinds they match."""

    __slots__ = ("all", "any", "none", "rule")

    def __init__(self, rule: Rule) -> None:
        self.rule = rule

        def expand(patterns: Iterable[str]) -> frozenset[str]:
            return frozenset().union(*(kinds_matching(p) for p in patterns))

        self.all = [expand((item,) if isinstance(item, str) else item) for item in rule.when.all]
        self.any = expand(rule.when.any)
        self.none = expand(rule.when.none)

    def applies(self, post: Post, school: School) -> bool:
        scope = self.rule.applies
        if scope.account and post.account not in scope.account:
            return False
        if scope.action and post.action not in scope.action:
            return False
        if scope.audience and post.audience not in scope.audience:
            return False
        if scope.roles or scope.politically_restricted is not None:
            author = school.find(post.author)
            if scope.roles and not (author and set(author.roles) & set(scope.roles)):
                return False
            if scope.politically_restricted is not None and (
                    author is None or author.politically_restricted
                    != scope.politically_restricted):
                return False
        return True

    def match(self, by_kind: dict[str, list[Signal]]) -> list[Signal] | None:
        threshold = self.rule.when.min_score

        def present(kinds: frozenset[str]) -> list[Signal]:
            return [s for kind in kinds for s in by_kind.get(kind, ()) if s.score >= threshold]

        if present(self.none):
            return None
        evidence: list[Signal] = []
        for kinds in self.all:
            found = present(kinds)
            if not found:
                return None
            evidence.extend(found)
        if self.any:
            found = present(self.any)
            if not found:
                return None
            evidence.extend(found)
        return evidence


class Checker:
    """Checks posts against one school's adopted policy. Build once, call many times."""

    def __init__(self, school: School, pack: Pack | None = None,
                 detector_names: Sequence[str] | None = None) -> None:
        self.school = school
        base = pack or load_pack(school.policy.pack)
        self.pack = apply_overrides(base, school.policy.overrides)
        available = registered_detectors()
        names = list(detector_names) if detector_names is not None else list(available)
        self.detectors: list[Detector] = [available[name](school) for name in names]
        self._rules = [_CompiledRule(rule) for rule in self.pack.rules]

    def check(self, post: Post) -> CheckResult:
        return self.check_many([post])[0]

    def check_many(self, posts: Sequence[Post]) -> list[CheckResult]:
        """Batched: each detector sees all posts at once (models score them in one call)."""
        started = time.perf_counter()
        docs = [Document(post) for post in posts]
        per_post: list[list[Signal]] = [[] for _ in posts]
        timings: dict[str, float] = {}
        for detector in self.detectors:
            t0 = time.perf_counter()
            for index, signals in enumerate(detector.detect_many(docs)):
                per_post[index].extend(signals)
            timings[detector.name] = (time.perf_counter() - t0) * 1000 / max(len(posts), 1)
        results = []
        for doc, signals in zip(docs, per_post, strict=True):
            results.append(self._judge(doc, signals, timings))
        total = (time.perf_counter() - started) * 1000 / max(len(posts), 1)
        for result in results:
            result.timings_ms["total"] = total
        return results

    def _judge(self, doc: Document, signals: list[Signal],
               timings: dict[str, float]) -> CheckResult:
        by_kind: dict[str, list[Signal]] = defaultdict(list)
        for signal in signals:
            by_kind[signal.kind].append(signal)
        findings = []
        for compiled in self._rules:
            if not compiled.applies(doc.post, self.school):
                continue
            matched = compiled.match(by_kind)
            if matched is None:
                continue
            findings.append(self._finding(compiled.rule, matched, doc.text))
        findings.sort(key=lambda f: (-Severity.parse(f.severity), f.category, f.rule))
        return CheckResult(verdict=_verdict(findings), findings=findings,
                           scores=dict(doc.scores), signals=signals,
                           timings_ms=dict(timings), id=doc.post.id)

    @staticmethod
    def _finding(rule: Rule, matched: list[Signal], text: str) -> Finding:
        seen: set[tuple[Any, ...]] = set()
        evidence = []
        for signal in sorted(matched, key=lambda s: (s.start is None, s.start or 0, s.kind)):
            key = (signal.kind, signal.start, signal.end)
            if key in seen:
                continue
            seen.add(key)
            evidence.append(Evidence(signal.start, signal.end, signal.evidence(text),
                                     signal.kind, signal.explanation, signal.score))
        return Finding(
            category=rule.category, severity=rule.severity, rule=rule.id,
            pack=rule.pack or "", clause=rule.clause, title=rule.title, message=rule.message,
            advice=rule.advice, evidence=tuple(evidence), report_to=rule.report_to,
            suggestion=rule.suggestion,
        )
