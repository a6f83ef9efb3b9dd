"""Validation errors of the triage contract (contract part D)."""

from __future__ import annotations

from dataclasses import dataclass

# The closed list of `problem` codes of contract part D.
PROBLEMS = (
    "not_json",
    "unreadable",
    "wrong_type",
    "required",
    "unknown_field",
    "not_allowed_value",
    "out_of_range",
    "wrong_length",
    "duplicate",
    "inconsistent",
)


@dataclass(frozen=True)
class FieldError:
    """One offending field: `field` is the input path in the C.2 path syntax."""

    field: str
    problem: str
    message: str

    def as_dict(self) -> dict:
        return {"field": self.field, "problem": self.problem, "message": self.message}


class InvalidInput(Exception):
    """Raised by `evaluate` when the answers fail validation; carries every error."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(f"{e.field}: {e.problem}" for e in errors))

    def as_dict(self) -> dict:
        return {"error": "invalid_input", "errors": [e.as_dict() for e in self.errors]}
