"""Strict JSON reading for the engine's command-line and HTTP callers (contract part A)."""

from __future__ import annotations

import json

from .errors import FieldError, InvalidInput


class _DuplicateKey(ValueError):
    pass


def _no_constants(name: str):
    raise ValueError(f"{name} is not valid JSON")


def _pairs(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise _DuplicateKey(key)
        obj[key] = value
    return obj


def parse_intake_json(text: str):
    """Parse one JSON document; NaN/Infinity and repeated keys are rejected. Raises InvalidInput (not_json)."""
    if not text.strip():
        raise InvalidInput([FieldError("", "not_json", "the input is empty")])
    try:
        return json.loads(text, parse_constant=_no_constants, object_pairs_hook=_pairs)
    except _DuplicateKey as exc:
        raise InvalidInput([FieldError(str(exc), "duplicate", f"the key {exc} appears more than once")]) from None
    except (ValueError, RecursionError) as exc:
        raise InvalidInput([FieldError("", "not_json", f"not valid JSON: {exc}")]) from None
