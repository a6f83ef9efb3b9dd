"""The /fhir/ endpoints (docs/fhir.md). Thin: access, then a service or a resource builder, then JSON.

Every response is FHIR JSON; every error is an OperationOutcome. Nothing is cached (the bodies hold patient data).
"""

from __future__ import annotations

import json
import logging
from functools import wraps

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.http.request import RawPostDataException
from django.views.decorators.csrf import csrf_exempt

from intake.models import Intake
from intake.wizard import active_packs

from . import codes
from .access import Caller, Denied, authenticate, csrf_failure, require
from .checkin import PREFIX as CHECKIN_PREFIX
from .checkin import checkin_questionnaire, checkin_questionnaire_response, checkin_summary_bundle, time_point_of
from .models import READ, WRITE
from .outcome import Issue, operation_outcome, single
from .questionnaire import intake_questionnaire
from .services import Rejected, check_resource, parse_json, questionnaire_response_import
from .summary import questionnaire_response, summary_bundle

try:  # the clinician app's audit trail (issue #5)
    from intake.clinician.services import audit_record
except ImportError:  # pragma: no cover - the audit service is not installed
    audit_record = None

log = logging.getLogger(__name__)

FHIR_JSON = "application/fhir+json; charset=utf-8"
ACCEPTED_TYPES = ("application/fhir+json", "application/json")
MAX_BODY = 2 * 1024 * 1024


def fhir_json(resource: dict, status: int = 200, headers: dict | None = None) -> HttpResponse:
    response = HttpResponse(json.dumps(resource, ensure_ascii=False), status=status, content_type=FHIR_JSON)
    response["Cache-Control"] = "no-store"
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def outcome(status: int, problem: str, message: str, headers: dict | None = None, **kw) -> HttpResponse:
    return fhir_json(single(problem, message, **kw), status, headers)


def _audit(request, caller: Caller, action: str, obj, **detail) -> None:
    if audit_record is not None:
        audit_record(request=request, action=action, obj=obj, detail={**caller.audit_detail(), **detail})


def fhir_endpoint(scope: str, methods: tuple[str, ...]):
    """Access for one endpoint: who the caller is (401), the method (405), then what they may do (403).

    The checks come before any record is read, so a caller who may not see a patient learns nothing, not even
    whether the record exists.
    """

    def decorate(view):
        @csrf_exempt  # tokens need no CSRF token; a browser session's writes are checked below
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                caller = authenticate(request)
                if request.method not in methods:
                    return outcome(405, "not_supported", f"{request.method} is not supported here",
                                   headers={"Allow": ", ".join(methods)})
                require(caller, scope)
            except Denied as denied:
                headers = {"WWW-Authenticate": denied.www_authenticate} if denied.status == 401 else {}
                return outcome(denied.status, "login" if denied.status == 401 else "forbidden", denied.message,
                               headers=headers)
            if caller.token is None and request.method not in ("GET", "HEAD", "OPTIONS"):
                reason = csrf_failure(request)
                if reason:
                    return outcome(403, "forbidden", f"CSRF check failed: {reason}")
            return view(request, caller, *args, **kwargs)

        return wrapper

    return decorate


def _pk(raw: str) -> int | None:
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) <= 18 and int(raw) > 0 else None


@fhir_endpoint(READ, ("GET",))
def questionnaire_read(request, caller: Caller, questionnaire_id: str):
    if questionnaire_id == codes.INTAKE_QUESTIONNAIRE_ID:
        return fhir_json(intake_questionnaire(active_packs()))
    time_point = time_point_of(questionnaire_id)
    if time_point is not None:
        return fhir_json(checkin_questionnaire(time_point))
    return outcome(404, "not_found", f"Questionnaire/{questionnaire_id} is not known")


def _intake_or_404(raw_id: str) -> Intake | None:
    pk = _pk(raw_id)
    return Intake.objects.select_related("patient").filter(pk=pk).first() if pk else None


def _checkin_response_or_404(raw_id: str):
    """A check-in's response by `checkin-<CheckInResponse id>` (docs/fhir.md), or None."""
    from intake.checkins.models import CheckInResponse

    pk = _pk(raw_id.removeprefix(CHECKIN_PREFIX)) if raw_id.startswith(CHECKIN_PREFIX) else None
    if pk is None:
        return None
    return CheckInResponse.objects.select_related("checkin", "checkin__plan", "patient").filter(pk=pk).first()


@fhir_endpoint(READ, ("GET",))
def questionnaire_response_read(request, caller: Caller, response_id: str):
    if response_id.startswith(CHECKIN_PREFIX):
        response = _checkin_response_or_404(response_id)
        if response is None:
            return outcome(404, "not_found", f"QuestionnaireResponse/{response_id} is not known")
        resource = checkin_questionnaire_response(response)
        _audit(request, caller, "view", response, resource="QuestionnaireResponse")
        return fhir_json(resource)
    intake = _intake_or_404(response_id)
    if intake is None:
        return outcome(404, "not_found", f"QuestionnaireResponse/{response_id} is not known")
    resource = questionnaire_response(intake, active_packs())
    _audit(request, caller, "view", intake, resource="QuestionnaireResponse")
    return fhir_json(resource)


@fhir_endpoint(READ, ("GET",))
def summary_read(request, caller: Caller, intake_id: str):
    if intake_id.startswith(CHECKIN_PREFIX):
        response = _checkin_response_or_404(intake_id)
        if response is None:
            return outcome(404, "not_found", f"no check-in response {intake_id}")
        resource = checkin_summary_bundle(response)
        _audit(request, caller, "view", response, resource="Bundle/summary")
        return fhir_json(resource)
    intake = _intake_or_404(intake_id)
    if intake is None:
        return outcome(404, "not_found", f"no intake {intake_id}")
    resource = summary_bundle(intake)
    _audit(request, caller, "view", intake, resource="Bundle/summary")
    return fhir_json(resource)


def _body(request) -> bytes:
    length = request.META.get("CONTENT_LENGTH") or "0"
    if length.isdigit() and int(length) > MAX_BODY:
        raise Rejected(413, [_too_large()])
    try:
        body = request.body
    except (RequestDataTooBig, RawPostDataException):
        raise Rejected(413, [_too_large()]) from None
    if len(body) > MAX_BODY:
        raise Rejected(413, [_too_large()])
    return body


def _too_large() -> Issue:
    return Issue("too_large", f"the body is larger than {MAX_BODY} bytes")


@fhir_endpoint(WRITE, ("POST",))
def questionnaire_response_create(request, caller: Caller):
    content_type = request.META.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower()
    if content_type not in ACCEPTED_TYPES:
        return outcome(415, "unsupported_media_type", "send application/fhir+json")
    try:
        data = parse_json(_body(request))
        check_resource(data, "QuestionnaireResponse")
        packs = active_packs()
        result = questionnaire_response_import(data=data, packs=packs, user=caller.user, api_token=caller.token)
    except Rejected as rejected:
        return fhir_json(operation_outcome(rejected.issues), rejected.status)
    intake = result.intake
    location = f"/fhir/QuestionnaireResponse/{intake.pk}"
    headers = {"Location": location, "Link": f'</fhir/Bundle/summary/{intake.pk}>; rel="related"'}
    if not result.created:
        # No data in the answer: a caller with only fhir.write must not read back what someone else stored.
        message = f"this response was posted before; it is QuestionnaireResponse/{intake.pk}"
        return fhir_json(operation_outcome([Issue("duplicate", message, severity="information")]), 200, headers)
    _audit(request, caller, "create", intake, resource="QuestionnaireResponse",
           patient_created=result.patient_created)
    prefer = request.META.get("HTTP_PREFER", "")
    if "return=minimal" in prefer:
        return HttpResponse(status=201, headers={**headers, "Cache-Control": "no-store"})
    if "return=OperationOutcome" in prefer:
        created = Issue("created", f"created {location}", severity="information")
        return fhir_json(operation_outcome([created]), 201, headers)
    return fhir_json(questionnaire_response(intake, packs), 201, headers)


@fhir_endpoint(READ, ("GET", "POST", "PUT", "PATCH", "DELETE"))
def unknown(request, caller: Caller, rest: str = ""):
    return outcome(404, "not_supported", f"/fhir/{rest} is not an endpoint of this server (docs/fhir.md)")
