"""The triage engine: pure Python, no Django. See reference.md and contract.md (docs/triage-contract in README)."""

from .engine import evaluate, evaluate_valid
from .errors import FieldError, InvalidInput
from .schema import validate
from .version import CONTRACT_VERSION, RULES_VERSION

__all__ = ["evaluate", "evaluate_valid", "validate", "FieldError", "InvalidInput", "CONTRACT_VERSION", "RULES_VERSION"]
