"""The JSON API for the written record: who has acknowledged which version of the policy.

``GET /api/acknowledgements?version=N`` (the current version when N is left out) lists every
member of staff, acknowledged or not, with when and how; the permission is the record page's.
"""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from postguard.web.policies.models import PolicyVersion
from postguard.web.policies.record import record_rows

router = Router(tags=["policy"])


def require(request: HttpRequest, permission: str) -> None:
    from postguard.web.api import require as decide  # web.api imports this module to mount it

    decide(request, permission)


class StaffAcknowledgement(Schema):
    username: str
    name: str
    acknowledged: bool
    on: date | None = None
    how: str | None = None
    recorded_at: datetime | None = None
    recorded_by: str | None = None


class AcknowledgementRecord(Schema):
    version: int
    label: str
    pack: str
    current: bool
    acknowledged: int
    staff_count: int
    staff: list[StaffAcknowledgement]


@router.get("acknowledgements", response=AcknowledgementRecord, url_name="acknowledgements",
            summary="Who has and has not acknowledged a version of the policy")
def acknowledgements(request: HttpRequest, version: int | None = None) -> AcknowledgementRecord:
    require(request, "policies.record")
    published = PolicyVersion.objects.filter(published_at__isnull=False)
    chosen = (published.filter(number=version).first() if version is not None
              else PolicyVersion.current())
    if chosen is None:
        raise HttpError(404, f"version {version} has not been published" if version is not None
                        else "no version of the policy has been published")
    rows = record_rows(chosen)
    staff = [StaffAcknowledgement(
        username=row.user.username, name=row.name, acknowledged=row.acknowledged,
        on=row.acknowledgement.acknowledged_on if row.acknowledgement else None,
        how=row.acknowledgement.how if row.acknowledgement else None,
        recorded_at=row.acknowledgement.recorded_at if row.acknowledgement else None,
        recorded_by=(row.acknowledgement.recorded_by.username
                     if row.acknowledgement and row.acknowledgement.recorded_by else None),
    ) for row in rows]
    return AcknowledgementRecord(
        version=chosen.number, label=chosen.label, pack=chosen.pack_id,
        current=chosen.is_current, acknowledged=sum(item.acknowledged for item in staff),
        staff_count=len(staff), staff=staff)
