"""What the browser tests share: Chromium's settings, the personas, their authenticator app,
and axe-core's accessibility check."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("POSTGUARD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
# The rules axe tags as WCAG 2.0, 2.1 and 2.2 levels A and AA.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

PEOPLE: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "teacher": ("s-okafor", "Grace Okafor", ("staff",)),
    "head": ("s-hughes", "Helen Hughes", ("head_teacher", "staff")),
    "hr": ("s-armstrong", "Paul Armstrong", ("hr", "staff")),
    "admin": ("s-clarke", "Janet Clarke", ("administrator", "staff")),
    "governor": ("g-charlton", "Robert Charlton", ("governor",)),
}
PASSWORD = "correct horse battery staple 42"


def authenticator(user: Any) -> Any:
    """The person's authenticator app, already set up (its device, confirmed)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return (TOTPDevice.objects.filter(user=user, confirmed=True).first()
            or TOTPDevice.objects.create(user=user, name="phone", confirmed=True))


def code_now(device: Any) -> str:
    """The 6 digits the app shows now."""
    from django_otp.oath import totp

    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def axe_violations(page: Any) -> list[str]:
    """What axe-core finds against WCAG 2.2 A and AA on the page as it is now, one per line."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})
                    .then(r => r.violations.map(v => ({id: v.id, help: v.help,
                        nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))""",
        WCAG_AA)
    return [f"{v['id']}: {v['help']} at {', '.join(v['nodes'])}" for v in found]
