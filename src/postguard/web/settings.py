"""Django settings. SQLite by default; PostgreSQL when DATABASE_URL is set.

Everything secret or local lives outside the repository: the secret key is read from
POSTGUARD_SECRET_KEY or generated once into the data folder (POSTGUARD_DATA_DIR, default
``./var``), beside the SQLite database.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("POSTGUARD_DATA_DIR", Path.cwd() / "var")).resolve()


def _secret_key() -> str:
    if key := os.environ.get("POSTGUARD_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("POSTGUARD_DEBUG_WEB") == "1"
ALLOWED_HOSTS = os.environ.get("POSTGUARD_ALLOWED_HOSTS",
                               "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks_db",
    "postguard.web.accounts",
    "postguard.web.schools",
    "postguard.web.audit",
    "postguard.web.checks",
    "postguard.web.policies",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "postguard.web.accounts.middleware.RequireTwoFactorMiddleware",
    # Last, as django-axes asks: it sees the outcome of every sign-in attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "postguard.web.urls"
WSGI_APPLICATION = "postguard.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "postguard.web.accounts.context.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'postguard.sqlite3'}", conn_max_age=60),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sign-in throttling: five failures lock the account and address pair for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

OTP_TOTP_ISSUER = "PostGuard"

# Invitations go by email. The console backend prints them where `postguard serve` runs, which is
# enough for the demo; a school points PostGuard at its mail server with the variables below.
# (Django 6.1's MAILERS replaces these settings, but pytest-django 4.14 sets EMAIL_BACKEND
# for the test run, and Django refuses the two together.)
EMAIL_BACKEND = os.environ.get("POSTGUARD_EMAIL_BACKEND",
                               "django.core.mail.backends.console.EmailBackend")
# Set only for a mail server, so that the tests and the demo raise no deprecation warnings.
if "POSTGUARD_EMAIL_HOST" in os.environ:
    EMAIL_HOST = os.environ["POSTGUARD_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("POSTGUARD_EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("POSTGUARD_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("POSTGUARD_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("POSTGUARD_EMAIL_TLS") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("POSTGUARD_EMAIL_FROM", "PostGuard <postguard@localhost>")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = os.environ.get("POSTGUARD_HTTPS") == "1"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# The site's own CSS and htmx live beside this file, not in an app, so the finders are told.
STATICFILES_DIRS = [BASE_DIR / "static"]
# Served by WhiteNoise from the app folders, so no collectstatic step is needed to run.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

TASKS = {
    "default": {
        "BACKEND": os.environ.get("POSTGUARD_TASKS_BACKEND",
                                  "django_tasks_db.DatabaseBackend"),
    },
}

# The school this installation serves: its configuration file (YAML, with CSVs beside it).
POSTGUARD_SCHOOL_FILE = os.environ.get("POSTGUARD_SCHOOL")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
