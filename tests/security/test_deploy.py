"""Production settings (clinic/settings_production.py): `check --deploy` passes with the required environment and
start-up fails loudly without it; the hardening is on; /healthz answers before host checks and HTTPS redirects."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
SECRET = "x" * 20 + "-a-long-random-test-secret-key-of-sixty-or-so-characters"


def run(*args: str, env: dict | None = None, code: str | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    base.update({"DJANGO_SETTINGS_MODULE": "clinic.settings_production", "DJANGO_SECRET_KEY": SECRET,
                 "DJANGO_ALLOWED_HOSTS": "clinic.example.org"})
    for key, value in (env or {}).items():
        if value is None:
            base.pop(key, None)
        else:
            base[key] = value
    command = [sys.executable, "-c", code] if code else [sys.executable, "manage.py", *args]
    return subprocess.run(command, cwd=ROOT, env=base, capture_output=True, text=True, timeout=120)


def test_it_passes_check_deploy_with_production_settings():
    result = run("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(("env", "message"), [
    ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY must be set"),
    ({"DJANGO_SECRET_KEY": "too-short"}, "DJANGO_SECRET_KEY must be at least 50 characters"),
    ({"DJANGO_ALLOWED_HOSTS": None}, "DJANGO_ALLOWED_HOSTS must be set"),
])
def test_it_refuses_to_start_without_its_secrets(env, message):
    result = run("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_it_hardens_the_production_settings():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({"
        "'debug': s.DEBUG, 'ssl': s.SECURE_SSL_REDIRECT, 'hsts': s.SECURE_HSTS_SECONDS, "
        "'sub': s.SECURE_HSTS_INCLUDE_SUBDOMAINS, 'preload': s.SECURE_HSTS_PRELOAD, "
        "'proxy': s.SECURE_PROXY_SSL_HEADER, 'session_secure': s.SESSION_COOKIE_SECURE, "
        "'csrf_secure': s.CSRF_COOKIE_SECURE, '2fa': s.REQUIRE_2FA, 'csp': s.CONTENT_SECURITY_POLICY, "
        "'loaders': s.TEMPLATES[0]['OPTIONS']['loaders'], 'age': s.SESSION_COOKIE_AGE, "
        "'every': s.SESSION_SAVE_EVERY_REQUEST, 'touch': s.SESSION_TOUCH_SECONDS, 'middleware': s.MIDDLEWARE}))"
    )
    result = run(code=code)
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    assert got["debug"] is False and got["ssl"] is True and got["hsts"] >= 31_536_000
    assert got["sub"] is True and got["preload"] is True
    assert got["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert got["session_secure"] is True and got["csrf_secure"] is True
    assert got["2fa"] is True
    assert got["csp"]["DIRECTIVES"]["default-src"] == ["'self'"]
    assert got["loaders"][0][0] == "django.template.loaders.cached.Loader"
    assert got["age"] == 30 * 60 and got["every"] is False and got["touch"] == 60
    sessions = got["middleware"].index("django.contrib.sessions.middleware.SessionMiddleware")
    assert got["middleware"][sessions + 1] == "clinic.middleware.SessionTouchMiddleware"
    assert "axes.middleware.AxesMiddleware" in got["middleware"]


def test_it_leaves_2fa_off_in_the_development_settings(settings):
    assert os.environ.get("REQUIRE_2FA") or settings.REQUIRE_2FA is False


def test_it_answers_the_health_check_after_a_database_ping(db, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = Client(HTTP_HOST="10.9.8.7:8000").get("/healthz")  # not in ALLOWED_HOSTS, plain HTTP
    assert response.status_code == 200 and response.content == b"ok"


def test_it_reports_an_unavailable_database(db, monkeypatch):
    class Down:
        def cursor(self):
            raise RuntimeError("database down")

    monkeypatch.setattr("clinic.health.connection", Down())
    response = Client().get("/healthz")
    assert response.status_code == 503
