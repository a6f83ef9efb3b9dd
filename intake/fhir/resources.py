"""The FHIR library: `fhir.resources`, whose R4B models (FHIR 4.3) validate the R4 (4.0.1) resources this app reads
and writes. For Questionnaire, QuestionnaireResponse, Observation, Flag, Patient, Bundle and OperationOutcome the
two versions define the same elements; the app uses none that exists only in R4B (docs/fhir.md)."""

from __future__ import annotations

import json

from fhir.resources.R4B import get_fhir_model_class

FHIR_VERSION = "4.0.1"


def model_class(resource_type: str):
    return get_fhir_model_class(resource_type)


def validated(resource: dict) -> dict:
    """`resource` checked by the library (raises pydantic.ValidationError) and serialised by it, as JSON data."""
    model = model_class(resource["resourceType"]).model_validate(resource)
    return json.loads(model.model_dump_json())
