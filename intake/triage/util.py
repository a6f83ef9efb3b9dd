"""Small pure helpers shared by the engine modules."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value: float, ndigits: int = 0) -> float | int:
    """Round .5 away from zero (contract C.10). Python's round() is half-to-even and must not be used."""
    quantum = Decimal(1).scaleb(-ndigits)
    rounded = Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    return int(rounded) if ndigits == 0 else float(rounded)


def is_int(value) -> bool:
    """An integer in the contract sense (B.1): a JSON number with no fractional part, never a boolean."""
    if type(value) is int:
        return True
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and value.is_integer()


def is_number(value) -> bool:
    """A JSON number (B.1); booleans are never numbers; NaN and infinities are not JSON numbers."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and value == value and value not in (float("inf"), float("-inf"))
