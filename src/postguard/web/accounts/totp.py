"""Time-based codes (TOTP, RFC 6238): the device an authenticator app mirrors, its QR code and
its secret written out for people who cannot scan."""

from __future__ import annotations

from base64 import b32encode

import segno
from django.utils.safestring import SafeString, mark_safe
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from postguard.web.accounts.models import User

DEVICE_NAME = "Authenticator app"


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def pending_device(user: User) -> TOTPDevice:
    """The device being set up. Kept between page loads so the QR code stays the same while a
    person fetches their phone."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def secret(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, as authenticator apps ask for it typed in."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> SafeString:
    """The otpauth:// link as an inline SVG QR code."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=4, dark="#000", light="#fff", title="QR code for your authenticator app")
    # Safe: segno writes the SVG from the QR matrix and our fixed title; no user text is in it.
    return mark_safe(svg)


def current_code(device: TOTPDevice) -> str:
    """The code an authenticator app shows now (for the demo's users, who may have no phone)."""
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{code:0{device.digits}d}"
