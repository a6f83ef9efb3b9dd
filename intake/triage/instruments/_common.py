"""Shared validation and scoring helpers for the instrument modules.

Every instrument module validates the raw JSON value of its `instruments.<key>` (contract B.13) with these
helpers, so that every module reports problems with the same codes (contract D) and the same wording style.
Validators never stop at the first problem: they return every problem they find (contract D).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from intake.triage.errors import FieldError
from intake.triage.util import is_int, is_number

# A checker validates one value at one path and returns every problem found.
Checker = Callable[[Any, str], list[FieldError]]

# How a checker treats JSON null (B.1: null is allowed only where a table says so):
#   "allowed"    - null means "unanswered" (csi_a, odi, ndi items);
#   "required"   - null is a missing answer where the instrument needs all items (B.13: `required`);
#   "wrong_type" - null is sent for an optional value that must be left out instead (e.g. midas.a).
NULL_ALLOWED = "allowed"
NULL_REQUIRED = "required"
NULL_WRONG_TYPE = "wrong_type"

ITEM_MISSING = "item missing (all items are required)"


def describe(value: Any) -> str:
    """A short JSON-like rendering of a received value for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return repr(text)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if is_number(value):
        return repr(int(value)) if is_int(value) and abs(value) < 1e15 else repr(value)
    return type(value).__name__


def _null_error(path: str, null: str, expected: str, required_message: str) -> list[FieldError]:
    if null == NULL_ALLOWED:
        return []
    if null == NULL_REQUIRED:
        return [FieldError(path, "required", required_message)]
    return [FieldError(path, "wrong_type", f"must be {expected}; null is not allowed (leave it out instead)")]


def check_int(
    value: Any,
    path: str,
    lo: int,
    hi: int,
    *,
    null: str = NULL_REQUIRED,
    required_message: str = ITEM_MISSING,
) -> list[FieldError]:
    """An integer lo..hi (B.1: 2.0 is an integer, booleans are never numbers)."""
    expected = f"an integer from {lo} to {hi}"
    if value is None:
        return _null_error(path, null, expected, required_message)
    if not is_int(value):
        return [FieldError(path, "wrong_type", f"must be {expected}, got {describe(value)}")]
    if not lo <= value <= hi:
        return [FieldError(path, "out_of_range", f"must be {expected}, got {describe(value)}")]
    return []


def check_number(value: Any, path: str, *, null: str = NULL_WRONG_TYPE) -> list[FieldError]:
    """Any JSON number (decimals allowed, booleans never)."""
    if value is None:
        return _null_error(path, null, "a number", ITEM_MISSING)
    if not is_number(value):
        return [FieldError(path, "wrong_type", f"must be a number, got {describe(value)}")]
    return []


def check_bool(
    value: Any, path: str, *, null: str = NULL_REQUIRED, required_message: str = ITEM_MISSING
) -> list[FieldError]:
    """A JSON boolean (B.1 'boolean (instrument items only)')."""
    if value is None:
        return _null_error(path, null, "true or false", required_message)
    if not isinstance(value, bool):
        return [FieldError(path, "wrong_type", f"must be true or false, got {describe(value)}")]
    return []


def check_enum(
    value: Any,
    path: str,
    allowed: Sequence[str],
    *,
    null: str = NULL_REQUIRED,
    required_message: str = ITEM_MISSING,
) -> list[FieldError]:
    """Exactly one of the listed strings."""
    if value is None:
        return _null_error(path, null, f"one of {', '.join(allowed)}", required_message)
    if not isinstance(value, str):
        return [FieldError(path, "wrong_type", f"must be one of {', '.join(allowed)}, got {describe(value)}")]
    if value not in allowed:
        return [FieldError(path, "not_allowed_value", f"{describe(value)} is not one of {', '.join(allowed)}")]
    return []


def expect_list(
    value: Any,
    path: str,
    what: str,
    *,
    length: int | None = None,
    lengths: Iterable[int] | None = None,
    min_len: int | None = None,
    max_len: int | None = None,
) -> tuple[list | None, list[FieldError]]:
    """Check that `value` is a list (and its length); return the list so the caller can check its items.

    A wrong length is reported but the items are still returned, so their problems are reported too
    (contract D: every problem, not only the first).
    """
    if not isinstance(value, list):
        return None, [FieldError(path, "wrong_type", f"must be {what}, got {describe(value)}")]
    n = len(value)
    allowed = tuple(lengths) if lengths is not None else None
    if length is not None and n != length:
        return value, [FieldError(path, "wrong_length", f"must have exactly {length} items, got {n}")]
    if allowed is not None and n not in allowed:
        listed = ", ".join(str(k) for k in allowed)
        return value, [FieldError(path, "wrong_length", f"must have {listed} items, got {n}")]
    if (min_len is not None and n < min_len) or (max_len is not None and n > max_len):
        return value, [FieldError(path, "wrong_length", f"must have {min_len} to {max_len} items, got {n}")]
    return value, []


def check_list(
    value: Any, path: str, what: str, item: Checker, *, fast: Callable[[Any], bool] | None = None, **length: Any
) -> list[FieldError]:
    """A list whose every item passes `item`; the item paths are `path[i]` (C.2 syntax).

    `fast` is an optional cheap test of a plainly valid item; only the other items go through `item` (every intake
    is validated on the request path, so the common case must not build a path string per item).
    """
    items, errors = expect_list(value, path, what, **length)
    if items is not None:
        for i, element in enumerate(items):
            if fast is not None and fast(element):
                continue
            errors += item(element, f"{path}[{i}]")
    return errors


def check_codes(value: Any, path: str, allowed: Sequence[str], kind: str) -> list[FieldError]:
    """A list of `kind` codes from `allowed`, each at most once (B.14 check 8: `duplicate`)."""
    # Whole-list fast path in C: only strings, all allowed, none repeated (the common, valid case).
    if value.__class__ is list and {str}.issuperset(map(type, value)):
        distinct = set(value)
        if len(distinct) == len(value) and distinct.issubset(allowed):
            return []
    items, errors = expect_list(value, path, f"a list of {kind}s")
    if items is None:
        return errors
    seen: set[str] = set()
    for i, code in enumerate(items):
        item_path = f"{path}[{i}]"
        if not isinstance(code, str):
            errors.append(FieldError(item_path, "wrong_type", f"must be a {kind} (a string), got {describe(code)}"))
        elif code not in allowed:
            errors.append(
                FieldError(item_path, "not_allowed_value", f"{describe(code)} is not one of {', '.join(allowed)}")
            )
        elif code in seen:
            errors.append(FieldError(item_path, "duplicate", f"{describe(code)} is listed more than once"))
        else:
            seen.add(code)
    return errors


def check_object(
    value: Any,
    path: str,
    what: str,
    fields: Mapping[str, Checker],
    required: Iterable[str],
) -> list[FieldError]:
    """A JSON object with only the keys of `fields` (B.1: unknown keys are errors) and all `required` keys."""
    if not isinstance(value, dict):
        return [FieldError(path, "wrong_type", f"must be {what}, got {describe(value)}")]
    errors: list[FieldError] = []
    required = tuple(required)
    for key in value:
        if key not in fields:
            errors.append(
                FieldError(f"{path}.{key}", "unknown_field", f"unknown key; allowed keys are {', '.join(fields)}")
            )
    for key, checker in fields.items():
        key_path = f"{path}.{key}"
        if key in value:
            errors += checker(value[key], key_path)
        elif key in required:
            errors.append(FieldError(key_path, "required", f"required key {key!r} is missing"))
    return errors


def int_list_validator(n_items: int, lo: int, hi: int, *, null: str = NULL_REQUIRED) -> Checker:
    """The validator of the most common shape: a list of exactly n integers lo..hi (phq9, gad7, isi, ...)."""
    nullable = " or null" if null == NULL_ALLOWED else ""
    what = f"a list of {n_items} integers from {lo} to {hi}{nullable}"

    allowed = frozenset(range(lo, hi + 1)) | ({None} if null == NULL_ALLOWED else set())
    types = {int, type(None)} if null == NULL_ALLOWED else {int}

    def validate(value: Any, path: str) -> list[FieldError]:
        # Whole-list fast path in C (every intake is validated on the request path); bool is excluded by type.
        if value.__class__ is list and len(value) == n_items and types.issuperset(map(type, value)):
            if allowed.issuperset(value):
                return []
        return check_list(
            value,
            path,
            what,
            lambda v, p: check_int(v, p, lo, hi, null=null),
            fast=lambda v: (v.__class__ is int and lo <= v <= hi) or (v is None and null == NULL_ALLOWED),
            length=n_items,
        )

    return validate


def bool_list_validator(n_items: int) -> Checker:
    """A list of exactly n booleans, all required (rmdq, id_migraine)."""
    what = f"a list of {n_items} booleans"

    def validate(value: Any, path: str) -> list[FieldError]:
        if value.__class__ is list and len(value) == n_items and {bool}.issuperset(map(type, value)):
            return []
        return check_list(value, path, what, check_bool, fast=lambda v: v.__class__ is bool, length=n_items)

    return validate


def enum_list_validator(n_items: int, allowed: Sequence[str]) -> Checker:
    """A list of exactly n enum strings, all required (hit6)."""
    what = f"a list of {n_items} answers ({', '.join(allowed)})"

    allowed_set = frozenset(allowed)

    def validate(value: Any, path: str) -> list[FieldError]:
        if value.__class__ is list and len(value) == n_items and {str}.issuperset(map(type, value)):
            if allowed_set.issuperset(value):
                return []
        return check_list(
            value,
            path,
            what,
            lambda v, p: check_enum(v, p, allowed),
            fast=lambda v: v.__class__ is str and v in allowed,
            length=n_items,
        )

    return validate


def band(total: float, bands: Sequence[tuple[float, str]]) -> str | None:
    """The label of the last band whose lower bound is <= total; `bands` ascend by lower bound.

    Applied to the unrounded value (contract C.10), except where a module passes its rounded prorated total.
    Returns None below the first lower bound (e.g. PROMIS T < 55).
    """
    label = None
    for lower, name in bands:
        if total >= lower:
            label = name
    return label


def ints(values: Iterable[Any]) -> list[int]:
    """Validated integer items as Python ints (2.0 is an integer in the contract, but totals must print as 2)."""
    return [int(v) for v in values]
