"""The procedure for the school's own accounts: who posts, who approved, links, photos, emails.

Hardmoor Appendix 1 and Northumberland 7.2 and Appendix 1 §11-15: only authorised staff post on
the school's accounts; every post is approved by the management team (the head teacher) before
it goes out; links to outside sites are approved; photographs of children go out only with
written consent; only the school's email addresses are used. This detector compares the post's
declared fields with the school's configuration (``official_accounts``, ``approved_links``,
``website``, ``email_domains`` and each pupil's ``photo_consent``). It says nothing about a post
on a personal account. Tone, language and personal views on official accounts are judged by
rules that combine the language and topic signals with the account type.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from postguard.engine.detector import Detector
from postguard.engine.detectors.images import describes_children
from postguard.engine.post import Post
from postguard.engine.registry import register
from postguard.engine.signals import Signal
from postguard.engine.text import TOKEN, Document
from postguard.school.model import OfficialAccount, Person, School

EMAIL = re.compile(
    r"(?<![\w.%+-])[\w.%+-]+@((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,})(?![\w-]|\.[a-z0-9])",
    re.IGNORECASE,
)
# Bare domains ("example.com/page") are recognised only with a common top-level domain, written in
# lower case, so that "report.pdf" or a missing space ("day.Then") is not taken for a link.
_TLDS = ("com|org|net|edu|gov|mil|int|uk|io|co|me|info|biz|ly|tv|app|dev|ie|eu|us|ca|au|nz|de"
         "|fr|es|nl|ai|gg|shop|online")
_REST = r"[^\s<>\"'“”‘’]"
URL = re.compile(
    r"(?<![\w@/.-])(?:"
    rf"(?P<full>(?i:https?|ftp)://{_REST}+|(?i:www)\.{_REST}+)"
    rf"|(?P<bare>(?i:(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+)(?:{_TLDS})"
    rf"(?![\w@-]|\.[\w-])(?::\d{{1,5}})?(?:[/?#]{_REST}*)?)"
    r")"
)
_TRAILING = ".,;:!?)]}>*_"
# Every web address has a dot followed by a letter or digit; most posts have none, so the full
# pattern above runs only on the posts that might hold one.
_MAYBE_URL = re.compile(r"\.\w")


def _trim(url: str) -> str:
    """A URL without the punctuation of the sentence around it."""
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def _split(address: str) -> tuple[str, str] | None:
    """(host without "www.", lower-case path) of a web address, with or without a scheme."""
    address = address.strip()
    if not address:
        return None
    if "://" not in address and not address.startswith("//"):
        address = "//" + address
    try:
        parts = urlsplit(address)
        host = parts.hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    host = host.rstrip(".").removeprefix("www.")
    return host, parts.path.rstrip("/").lower()


def _names(people: Iterable[Person]) -> str:
    return ", ".join(person.name for person in people)


@dataclass(frozen=True, slots=True)
class _Account:
    """The account a post went out on, as the checks need it."""

    id: str | None
    handle: str | None
    label: str
    posters: tuple[Person, ...] | None  # None: the school lists no accounts, so no one to check
    approvers: tuple[Person, ...]

    def may_post(self, person: Person | None) -> bool:
        return person is not None and any(p.id == person.id for p in self.posters or ())

    def may_approve(self, person: Person | None) -> bool:
        return person is not None and any(p.id == person.id for p in self.approvers)


@dataclass(frozen=True, slots=True)
class _Pupils:
    """Pupils who may be named in a post, by their name as lower-case tokens."""

    full: dict[tuple[str, ...], tuple[Person, ...]]
    short: dict[str, tuple[Person, ...]]  # first names and nicknames of one word
    longest: int


def _key(text: str) -> tuple[str, ...]:
    return tuple(_normal(match.group()) for match in TOKEN.finditer(text.lower()))


def _normal(token: str) -> str:
    token = token.replace("’", "'")
    return token[:-2] if token.endswith("'s") else token


@register
class OfficialAccountDetector(Detector):
    name = "official"
    emits = ("official.unauthorised_poster", "official.not_approved", "official.unapproved_link",
             "official.photo_without_consent", "official.personal_email")

    def __init__(self, school: School) -> None:
        super().__init__(school)
        by_id = school.by_id
        heads = tuple(p for p in school.everyone if "head_teacher" in p.roles)

        def people(ids: Iterable[str]) -> tuple[Person, ...]:
            return tuple(by_id[ref] for ref in ids if ref in by_id)

        self._accounts: dict[str, _Account] = {}
        for account in school.official_accounts:
            self._accounts[account.id] = _Account(
                account.id, account.handle, account.handle, people(account.authorised_posters),
                people(account.approvers) or heads)
        everyone_posting = {p.id: p for a in self._accounts.values() for p in a.posters or ()}
        everyone_approving = {p.id: p for a in self._accounts.values() for p in a.approvers}
        self._any_account = (tuple(everyone_posting.values()) if school.official_accounts
                             else None, tuple(everyone_approving.values()) or heads)

        # Approved sites: host -> path prefixes ("" for the whole site and its subdomains).
        self._sites: dict[str, set[str]] = {}
        shown = []
        addresses = [school.website or "", *school.approved_links,
                     *(h for h in school.handles if not h.startswith("@") and "." in h)]
        for address in addresses:
            split = _split(address)
            if split is None:
                continue
            self._sites.setdefault(split[0], set()).add(split[1])
            if address in school.approved_links or address == school.website:
                shown.append(split[0] + split[1])
        self._shown_sites = ", ".join(dict.fromkeys(shown)) or "none"

        website = _split(school.website or "")
        domains = [d.lower().strip().lstrip("@") for d in school.email_domains if d.strip()]
        if not domains and website:
            domains = [website[0]]
        self._work_domains = tuple(domains)
        self._pupils = self._pupil_names(school.of_kind("pupil"))

    @staticmethod
    def _pupil_names(pupils: list[Person]) -> _Pupils:
        full: dict[tuple[str, ...], list[Person]] = {}
        short: dict[str, list[Person]] = {}
        for pupil in pupils:
            key = _key(pupil.name)
            if key:
                full.setdefault(key, []).append(pupil)
            for name in (pupil.first_name, *pupil.nicknames):
                one = _key(name)
                if len(one) == 1:
                    short.setdefault(one[0], []).append(pupil)
                elif one:
                    full.setdefault(one, []).append(pupil)
        # Full names of pupils with consent stay in, so that their first names are not read as
        # the first name of another pupil who has none.
        return _Pupils(
            full={k: tuple(dict.fromkeys(v)) for k, v in full.items()},
            short={k: tuple(dict.fromkeys(v)) for k, v in short.items()},
            longest=max((len(k) for k in full), default=1),
        )

    # -- the detector ---------------------------------------------------------------------------

    def detect(self, doc: Document) -> list[Signal]:
        post = doc.post
        if post.account != "official":
            return []
        account = self._account(post)
        signals: list[Signal] = []
        if account.posters is not None:
            signals.extend(self._poster(post, account))
        signals.extend(self._approval(post, account))
        emails = list(EMAIL.finditer(doc.text)) if "@" in doc.text else []
        signals.extend(self._links(doc, emails, account))
        signals.extend(self._emails(post, emails, account))
        if post.images:
            signals.extend(self._photos(doc, account))
        return signals

    def _emit(self, account: _Account, kind: str, score: float, why: str,
              start: int | None = None, end: int | None = None, **data: object) -> Signal:
        signal = self.signal(kind, score, why, start, end, account=account.id,
                             handle=account.handle)
        signal.data.update(data)
        return signal

    def _account(self, post: Post) -> _Account:
        found: OfficialAccount | None = self.school.account(post.account_id)
        if found is not None:
            return self._accounts[found.id]
        posters, approvers = self._any_account
        if post.account_id:
            label = f"an official account ({post.account_id!r}) the school does not list"
        else:
            label = "the school's official account"
        return _Account(post.account_id, None, label, posters, approvers)

    def _poster(self, post: Post, account: _Account) -> list[Signal]:
        posters = account.posters or ()
        author = self.school.find(post.author)
        if account.may_post(author):
            return []
        allowed = f"(authorised: {_names(posters) or 'no one'})"
        if not post.author:
            why = (f"the post does not say who wrote it, so it cannot be shown to come from "
                   f"someone authorised to post on {account.label} {allowed}")
        elif author is None:
            why = (f"{post.author!r} is not on the school's staff list, so is not authorised to "
                   f"post on {account.label} {allowed}")
        else:
            why = f"{author.name} is not authorised to post on {account.label} {allowed}"
        return [self._emit(account, "official.unauthorised_poster", 1.0, why,
                           person_id=author.id if author else None, author=post.author)]

    def _approval(self, post: Post, account: _Account) -> list[Signal]:
        approvers = account.approvers
        named = (post.approved_by or "").strip()
        approver = self.school.find(named)
        if account.may_approve(approver) or (approver is not None and not approvers):
            return []
        must = _names(approvers) or "a member of the management team"
        if not named:
            reason = "missing"
            why = (f"no one approved this post before it went out on {account.label}; "
                   f"it must be approved by {must}")
        elif approver is None:
            reason = "unknown"
            why = (f"the post says it was approved by {named!r}, who is not on the school's staff "
                   f"list (approvers for {account.label}: {must})")
        elif (author := self.school.find(post.author)) is not None and author.id == approver.id:
            reason = "self_approved"
            why = (f"{approver.name} approved their own post but is not an approver for "
                   f"{account.label} (approvers: {must})")
        else:
            reason = "not_an_approver"
            why = (f"{approver.name} approved the post but is not an approver for "
                   f"{account.label} (approvers: {must})")
        return [self._emit(account, "official.not_approved", 1.0, why,
                           person_id=approver.id if approver else None,
                           approved_by=post.approved_by, reason=reason)]

    def _approved_site(self, host: str, path: str) -> bool:
        labels = host.split(".")
        for start in range(len(labels)):
            prefixes = self._sites.get(".".join(labels[start:]))
            if prefixes is None:
                continue
            if "" in prefixes or any(path == p or path.startswith(p + "/") for p in prefixes):
                return True
        return False

    def _text_links(self, doc: Document,
                    emails: list[re.Match[str]]) -> Iterator[tuple[int, int, str, bool]]:
        """(start, end, url, bare) for each web address in the text, outside email addresses."""
        if _MAYBE_URL.search(doc.text) is None:
            return
        for match in URL.finditer(doc.text):
            url = _trim(match.group())
            start, end = match.start(), match.start() + len(url)
            if any(e.start() <= start < e.end() for e in emails):
                continue
            yield start, end, url, match.group("bare") is not None

    def _links(self, doc: Document, emails: list[re.Match[str]],
               account: _Account) -> list[Signal]:
        signals = []
        seen: set[tuple[str, str]] = set()
        found: list[tuple[int | None, int | None, str, float]] = [
            (s, e, u, 0.9 if bare else 1.0) for s, e, u, bare in self._text_links(doc, emails)]
        found += [(None, None, link, 1.0) for link in doc.post.links
                  if not link.lower().startswith(("mailto:", "tel:", "sms:"))]
        for start, end, url, score in found:
            split = _split(url)
            if split is None or self._approved_site(*split):
                continue
            host, path = split
            if start is None and (host, path) in seen:
                continue  # the attached link is also in the text, where it is already shown
            seen.add((host, path))
            link = host if url.lower().rstrip("/") in (host, "www." + host) else f"{url} ({host})"
            why = (f"the link to {link} is not one of the sites approved for {account.label} "
                   f"(approved: {self._shown_sites}); links to other sites must be approved by "
                   "the head teacher first")
            signals.append(self._emit(account, "official.unapproved_link", score, why, start,
                                      end, host=host, url=url))
        return signals

    def _work_email(self, host: str) -> bool:
        return any(host == d or host.endswith("." + d) for d in self._work_domains)

    def _emails(self, post: Post, emails: list[re.Match[str]],
                account: _Account) -> list[Signal]:
        found: list[tuple[int | None, int | None, str]] = [
            (m.start(), m.end(), m.group()) for m in emails]
        found += [(None, None, link[7:].split("?")[0]) for link in post.links
                  if link.lower().startswith("mailto:")]
        signals = []
        where = (f"only the school's addresses (at {', '.join(self._work_domains)})"
                 if self._work_domains else "only the school's addresses")
        for start, end, email in found:
            host = email.rpartition("@")[2].lower()
            if not host or self._work_email(host):
                continue
            why = (f"{email} is a personal email address; {where} may be used on "
                   f"{account.label}")
            signals.append(self._emit(account, "official.personal_email", 1.0, why, start,
                                      end, email=email, host=host))
        return signals

    def _photos(self, doc: Document, account: _Account) -> list[Signal]:
        signals = []
        for index, image in enumerate(doc.post.images):
            if image.consent:
                continue
            label = f"picture {index + 1}"
            unconsented = ("consent is declared as not given" if image.consent is False
                           else "no written consent is recorded for it")
            if image.shows_children:
                score, why = 1.0, f"{label} is declared to show children but {unconsented}"
            elif image.shows_children is None and (words := describes_children(image.description)):
                score, why = 0.8, (f"{label} is described as showing children ('{words}') and "
                                   f"{unconsented}")
            else:
                continue
            signals.append(self._emit(account, "official.photo_without_consent", score,
                                      f"{why}; it cannot go on {account.label}",
                                      index=index, path=image.path))
        if all(image.shows_children is False for image in doc.post.images):
            return signals  # no picture of children, so naming a pupil is judged elsewhere
        signals.extend(self._named_pupils(doc, account))
        return signals

    def _named_pupils(self, doc: Document, account: _Account) -> list[Signal]:
        """Pupils without photo consent named in the text of a post that carries pictures."""
        pupils = self._pupils
        tokens = doc.tokens
        keys = [_normal(token.lower) for token in tokens]
        signals = []
        seen: set[str] = set()
        i = 0
        while i < len(tokens):
            matched: tuple[Person, ...] | None = None
            width, score = 1, 1.0
            for n in range(min(pupils.longest, len(tokens) - i), 0, -1):
                candidates = pupils.full.get(tuple(keys[i:i + n]))
                if candidates is not None:
                    matched, width = candidates, n
                    break
            if matched is None and tokens[i].is_capitalised and keys[i] in pupils.short:
                matched = pupils.short[keys[i]]
                score = 0.5 if tokens[i].start in doc.sentence_starts else 0.8
            if matched:
                without = [p for p in matched if not p.photo_consent]
                if len(matched) > 1:
                    score = min(score, 0.5)
                if without and not seen.issuperset(p.id for p in without):
                    seen.update(p.id for p in without)
                    start, end = tokens[i].start, tokens[i + width - 1].end
                    said = doc.text[start:end]
                    who = (f"{said}, who has no photo consent on record"
                           if len(matched) == 1 and said.lower() == without[0].name.lower()
                           else f"{said}, who may be {_names(without)} (no photo consent on "
                                "record)")
                    why = (f"a picture is attached and the post names {who}; it cannot go on "
                           f"{account.label}")
                    signals.append(self._emit(
                        account, "official.photo_without_consent", score, why, start, end,
                        person_id=without[0].id, person_ids=[p.id for p in without], name=said))
            i += width
        return signals
