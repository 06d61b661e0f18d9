"""The written record (Northumberland 3): who has and has not acknowledged a version.

Staff are the active users who hold the staff role or are linked to a member of staff on the
school's roster. The same rows feed the page, the CSV, the PDF and the API.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from postguard.web.accounts.models import Role, User
from postguard.web.policies.models import (
    Acknowledgement,
    AcknowledgementReminder,
    How,
    PolicyVersion,
)
from postguard.web.schools.models import PersonRecord

STATUSES = {"all": "Everyone", "done": "Acknowledged", "missing": "Not yet acknowledged"}


def staff_users() -> QuerySet[User]:
    roster_staff = PersonRecord.objects.filter(kind="staff").values("ref")
    return (User.objects.filter(is_active=True)
            .filter(Q(role_assignments__role=Role.STAFF)
                    | (Q(person_id__in=roster_staff) & ~Q(person_id="")))
            .distinct())


@dataclass(frozen=True)
class RecordRow:
    user: User
    acknowledgement: Acknowledgement | None
    last_reminded: datetime | None

    @property
    def name(self) -> str:
        return self.user.name

    @property
    def acknowledged(self) -> bool:
        return self.acknowledgement is not None

    @property
    def how_label(self) -> str:
        return How(self.acknowledgement.how).label if self.acknowledgement else ""


def record_rows(version: PolicyVersion, status: str = "all", how: str = "") -> list[RecordRow]:
    acknowledgements = {ack.user_id: ack for ack in
                        version.acknowledgements.select_related("recorded_by")}
    reminded = dict(AcknowledgementReminder.objects.filter(version=version)
                    .values("user").annotate(last=Max("sent_at")).values_list("user", "last"))
    rows = [RecordRow(user, acknowledgements.get(user.pk), reminded.get(user.pk))
            for user in staff_users()]
    if status == "done":
        rows = [row for row in rows if row.acknowledged]
    elif status == "missing":
        rows = [row for row in rows if not row.acknowledged]
    if how:
        rows = [row for row in rows if row.acknowledgement and row.acknowledgement.how == how]
    return sorted(rows, key=lambda row: (row.name.casefold(), row.user.username))


CSV_HEADER = ["Name", "Username", "Email", "Version", "Acknowledged", "Acknowledged on", "How",
              "Recorded at", "Recorded by", "Last reminded"]


def _cell(value: str) -> str:
    # A spreadsheet runs a cell that starts like a formula; a name must never do that.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _moment(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def record_csv(version: PolicyVersion, rows: list[RecordRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in rows:
        ack = row.acknowledgement
        writer.writerow([_cell(value) for value in (
            row.name, row.user.username, row.user.email, str(version.number),
            "yes" if ack else "no",
            ack.acknowledged_on.isoformat() if ack else "",
            row.how_label,
            _moment(ack.recorded_at) if ack else "",
            (ack.recorded_by.name if ack and ack.recorded_by else ""),
            _moment(row.last_reminded),
        )])
    return out.getvalue()


def record_pdf(version: PolicyVersion, rows: list[RecordRow], filters: str) -> bytes:
    from weasyprint import HTML  # heavy: loaded only when a PDF is asked for

    html = render_to_string("policies/record_pdf.html", {
        "version": version, "rows": rows, "filters": filters,
        "done": sum(row.acknowledged for row in rows), "printed_at": timezone.now(),
    })
    return bytes(HTML(string=html).write_pdf())
