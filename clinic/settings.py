"""Settings from the environment, with embedded defaults for a laptop (SQLite, no broker needed).

Set DATABASE_URL for PostgreSQL and REDIS_URL for a real Celery broker; see README "Configure".
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
# The embedded default key is only for a laptop; production settings refuse to start without one.
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "intake",
    "intake.clinician",
    "intake.checkins",
    "intake.fhir",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "clinic.middleware.SessionTouchMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("CLINIC_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "clinic@localhost")

# Celery: with REDIS_URL a real broker; without it, tasks run in-process (embedded default, design.md).
REDIS_URL = env_str("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_timeout": 2, "socket_connect_timeout": 2, "visibility_timeout": 3600}
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Every periodic schedule, in one place (design.md). The due time of each e-mail lives in its row; beat only sweeps.
CELERY_BEAT_SCHEDULE: dict = {
    "checkins-sweep": {"task": "checkins.sweep", "schedule": env_int("CHECKIN_BEAT_SECONDS", 60)},
}
# Follow-up check-ins (issue #6); the other CHECKIN_* variables are read in intake/checkins/conf.py.
CLINIC_ALERT_EMAIL = env_str("CLINIC_ALERT_EMAIL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Patient links and drafts (issue #4): clinic settings with sensible defaults.
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)
INTAKE_DRAFT_DAYS = env_int("INTAKE_DRAFT_DAYS", 14)
# Clinic set-up rows (content packs, the check-in schedule) kept per worker process for this many seconds
# (intake/process_cache.py). 0 reads them on every request; production settings keep them 30 s.
CLINIC_SETTINGS_CACHE_SECONDS = env_int("CLINIC_SETTINGS_CACHE_SECONDS", 0)
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# Patient wizard (issue #4). Questionnaires whose wording ships with the app (reference.md §1.3), in the order
# asked; each is asked only where it applies (back / headache). Licensed instruments are asked only when the clinic
# has loaded an active content pack. PHQ-4 is the short alternative to PHQ-9 + GAD-7: list one or the other.
INTAKE_QUESTIONNAIRES = env_list(
    "INTAKE_QUESTIONNAIRES", ["nprs_back", "nprs_head", "psfs", "rmdq", "phq9", "gad7", "wpi", "sss"]
)
# Shown at once to a patient who reports thoughts of self-harm (PHQ-9 item 9, reference.md §2.5). Set it to the
# clinic's local crisis line.
CRISIS_RESOURCES_TEXT = env_str(
    "CRISIS_RESOURCES_TEXT",
    "If you are thinking about harming yourself or feel you cannot keep yourself safe, please get help now: call "
    "your local emergency number, go to the nearest emergency department, or call a crisis line such as 988 "
    "(Suicide and Crisis Lifeline, US and Canada) or Samaritans on 116 123 (UK and Ireland). You do not have to "
    "wait for your appointment.",
)
CLINIC_NAME = env_str("CLINIC_NAME", "the clinic")

# Clinician dashboard and staff log-in (issue #5).
LOGIN_URL = "clinician:login"
LOGIN_REDIRECT_URL = "clinician:home"
LOGOUT_REDIRECT_URL = "clinician:login"
WORKLIST_PAGE_SIZE = env_int("WORKLIST_PAGE_SIZE", 25)
WORKLIST_POLL_SECONDS = env_int("WORKLIST_POLL_SECONDS", 15)

# ---------------------------------------------------------------- security and operations (issue #7)
# Added as a block so the lists above stay as they were; clinic/settings_production.py hardens these further.
INSTALLED_APPS += ["csp", "axes", "django_otp", "django_otp.plugins.otp_totp"]
MIDDLEWARE.insert(0, "clinic.health.HealthCheckMiddleware")  # /healthz: before host checks, redirects and auth
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1, "clinic.middleware.SecurityHeadersMiddleware"
)
MIDDLEWARE.insert(MIDDLEWARE.index("clinic.middleware.SecurityHeadersMiddleware"), "csp.middleware.CSPMiddleware")
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django_otp.middleware.OTPMiddleware") + 1, "intake.clinician.twofactor.Require2FAMiddleware"
)
MIDDLEWARE += ["intake.ratelimit.RateLimitMiddleware", "axes.middleware.AxesMiddleware"]  # axes wants to be last

# Content Security Policy (django-csp), in every settings module so the tests see it: scripts and styles only from
# our own static files, never inline; htmx's config meta tag turns its eval and inline-script features off.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # data: for the empty favicon of base.html
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
# Sent by clinic.middleware.SecurityHeadersMiddleware: the app needs none of these browser features.
PERMISSIONS_POLICY = env_str(
    "PERMISSIONS_POLICY",
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), midi=(), payment=(), usb=(), xr-spatial-tracking=()",
)

# Cache: per-process memory on a laptop; Redis (CACHE_URL, else REDIS_URL) in production. The rate limiter's
# counters live here. Short timeouts: a dead Redis must not hold up a patient (the limiter then lets requests by).
CACHE_URL = env_str("CACHE_URL", REDIS_URL)
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "clinic"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "clinic"}}

# Log-in lockout (django-axes): AXES_FAILURE_LIMIT failed log-ins for one user name from one address lock that
# pair out for AXES_COOLOFF_MINUTES (the clinician log-in and the admin log-in alike). Keyed on the pair, so a
# stranger cannot lock a clinician out of the practice from elsewhere. `manage.py axes_reset` unlocks early.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "intake.clinician.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "clinician/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# Every attempt is a row in the admin (Axes: access attempts); the log keeps only lockouts (WARNING).
LOGGING.setdefault("loggers", {})["axes"] = {"level": env_str("AXES_LOG_LEVEL", "WARNING")}

# Two-factor authentication (django-otp, TOTP) for every staff account. Off on a laptop; on in production settings.
REQUIRE_2FA = env_bool("REQUIRE_2FA", False)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Clinic intake")

# Sessions end after SESSION_IDLE_MINUTES without a request: a request pushes the expiry on, saving the session
# at most once every SESSION_TOUCH_SECONDS (clinic.middleware.SessionTouchMiddleware), not on every page.
SESSION_ENGINE = "clinic.sessions"  # Django's database sessions, their per-request read compiled once (issue #7)
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_TOUCH_SECONDS = env_int("SESSION_TOUCH_SECONDS", 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Rate limits of the patient link pages (intake/ratelimit.py): fixed windows of RATELIMIT_WINDOW_SECONDS, counted
# per client address and per link. "link" pages carry the token in their URL (guessing a token is what they stop);
# "page" pages are the wizard behind it, with room for a waiting room of patients on one Wi-Fi address.
RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
RATELIMIT_WINDOW_SECONDS = env_int("RATELIMIT_WINDOW_SECONDS", 600)
RATELIMIT_LINK_PER_ADDRESS = env_int("RATELIMIT_LINK_PER_ADDRESS", 60)
RATELIMIT_LINK_PER_LINK = env_int("RATELIMIT_LINK_PER_LINK", 30)
RATELIMIT_PAGE_PER_ADDRESS = env_int("RATELIMIT_PAGE_PER_ADDRESS", 2000)
RATELIMIT_PAGE_PER_LINK = env_int("RATELIMIT_PAGE_PER_LINK", 400)
RATELIMIT_VIEWS = {
    "intake:start": "link",
    "checkins:form": "link",
    "checkins:opt_out": "link",
    "intake:step": "page",
    "intake:review": "page",
    "intake:submit": "page",
    "intake:result": "page",
    "intake:acknowledge": "page",
    "checkins:result": "page",
    "checkins:acknowledge": "page",
}
RATELIMIT_KEY_PREFIX = "rl"

# Retention (docs: README "Retention"; `manage.py purge_expired`). Unfinished drafts are deleted this many days after
# their last change; submitted intakes are kept unless INTAKE_RETENTION_DAYS is set (0 = keep: clinical records
# have legal retention periods set by the clinic, not by this app).
DRAFT_RETENTION_DAYS = env_int("DRAFT_RETENTION_DAYS", 30)
INTAKE_RETENTION_DAYS = env_int("INTAKE_RETENTION_DAYS", 0)

# Load test only (bench/load.py): mounts /bench/query/, a view making one database query, to measure the ceiling.
BENCH = env_bool("BENCH", False)
