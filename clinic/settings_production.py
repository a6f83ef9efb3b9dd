"""Production settings: the base settings (clinic/settings.py), hardened for health data.

    DJANGO_SETTINGS_MODULE=clinic.settings_production

Secrets come only from the environment and start-up stops (ImproperlyConfigured) without them: DJANGO_SECRET_KEY
(at least 50 characters) and DJANGO_ALLOWED_HOSTS. Everything else has a safe default; README "Deploy" lists them.

HTTPS: the app expects a TLS-terminating reverse proxy in front of gunicorn. SECURE_PROXY_SSL_HEADER trusts that
proxy's X-Forwarded-Proto header (DJANGO_PROXY_SSL_HEADER, default on): the proxy MUST set it on every request and
drop any copy a client sent, otherwise a client could claim HTTPS. Set DJANGO_PROXY_SSL_HEADER=false when gunicorn
itself is reached over TLS and no proxy sets the header. DJANGO_HTTPS=false turns the HTTPS-only settings off and
exists only for bench/load.py on the loopback interface; `check --deploy` then fails, as it should.
"""

from __future__ import annotations

import copy

from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_int, env_list, env_required, env_str
from .settings import *  # noqa: F403
from .settings import CONTENT_SECURITY_POLICY as _BASE_CSP
from .settings import DATABASES, TEMPLATES

DEBUG = False
SECRET_KEY = env_required("DJANGO_SECRET_KEY", min_length=50)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set in the environment (comma-separated host names)")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# ---------------------------------------------------------------- HTTPS only
HTTPS = env_bool("DJANGO_HTTPS", True)
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]  # also answered before this by clinic.health (loopback probes)
if env_bool("DJANGO_PROXY_SSL_HEADER", True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000) if HTTPS else 0  # one year
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preload asks browsers to ship the host as HTTPS-only; submit it at hstspreload.org only once every subdomain
# serves HTTPS. Set SECURE_HSTS_PRELOAD=false to leave it out.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True  # no script reads it: every form carries the token
if HTTPS:
    # __Host- cookies are sent only over HTTPS, to this exact host, for the whole site.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)

CONTENT_SECURITY_POLICY = copy.deepcopy(_BASE_CSP)
if HTTPS:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True

# ---------------------------------------------------------------- accounts
REQUIRE_2FA = env_bool("REQUIRE_2FA", True)

# ---------------------------------------------------------------- speed
# Compiled templates are kept per worker (the cached loader), as is each database connection.
TEMPLATES = copy.deepcopy(TEMPLATES)
TEMPLATES[0]["APP_DIRS"] = False
TEMPLATES[0]["OPTIONS"]["loaders"] = [
    (
        "django.template.loaders.cached.Loader",
        ["django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"],
    )
]
DATABASES = copy.deepcopy(DATABASES)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Static files: hashed names and pre-compressed copies made by `collectstatic`, served by WhiteNoise.
STATIC_ROOT = env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles"))  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Content packs and the check-in schedule: read once per 30 s per worker (a change shows within that time).
CLINIC_SETTINGS_CACHE_SECONDS = env_int("CLINIC_SETTINGS_CACHE_SECONDS", 30)
