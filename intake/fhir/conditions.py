"""FHIR enableWhen from the schema's "required when" Conditions (intake/triage/schema.py).

A Condition carries a callable (what the engine runs) and `text`, a small language of the contract's "Required"
column: `name = value`, `name >= n`, `name <= n`, joined by AND / OR, with parentheses. This module parses the text
into an expression and turns it into Questionnaire `enableWhen` (with `enableBehavior` any/all) where FHIR can say
it, and into the SDC `enableWhenExpression` (FHIRPath) where it cannot. Tests check the result against the
callable, so the text cannot drift from what the engine requires.

Two phrases of the text name a set rather than one answer; SPECIAL spells them out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from intake.triage.schema import CAD_ITEMS

OPERATORS = ("=", "!=", ">=", "<=", ">", "<")


@dataclass(frozen=True)
class Atom:
    """`question op value`: question is an item's linkId (the contract path without indices)."""

    question: str
    op: str
    value: str | int
    # True for a question inside a repeating group read from outside it: true when ANY occurrence holds. FHIR's
    # enableWhen reads only the nearest occurrence, so such an atom needs enableWhenExpression.
    any_occurrence: bool = False


@dataclass(frozen=True)
class AllOf:
    parts: tuple


@dataclass(frozen=True)
class AnyOf:
    parts: tuple


Expr = Atom | AllOf | AnyOf

SPECIAL: dict[str, Expr] = {
    # schema.CAD_WITHIN_14 (contract B.5): any of the ten CAD-ACUTE items answered yes.
    "any CAD-ACUTE item is yes": AnyOf(tuple(Atom(name, "=", "yes") for name in CAD_ITEMS)),
    # schema.HEADACHE_WITH_AURA (contract B.6): some headache type has an aura object (ha_types.has_aura, the
    # wizard's "warning symptoms?" question, is how the Questionnaire asks whether aura is an object or null).
    "some ha_types[i].aura is an object": Atom("ha_types.has_aura", "=", "yes", any_occurrence=True),
}

_ATOM = re.compile(r"^([a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)*) (!=|>=|<=|=|>|<) (\S+)$")


class UnsupportedCondition(ValueError):
    """A Condition text this module cannot read: add it to SPECIAL (a test lists every schema Condition)."""


def _split_top(text: str, word: str) -> list[str]:
    """Split on ` word ` outside parentheses."""
    parts, depth, start, i = [], 0, 0, 0
    sep = f" {word} "
    while i < len(text):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0 and text.startswith(sep, i):
            parts.append(text[start:i])
            i += len(sep)
            start = i
            continue
        i += 1
    parts.append(text[start:])
    return [p.strip() for p in parts]


def _strip_parens(text: str) -> str:
    text = text.strip()
    while text.startswith("(") and text.endswith(")"):
        depth = 0
        for i, ch in enumerate(text):
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0 and i < len(text) - 1:
                return text  # "(a) AND (b)": the outer parentheses do not enclose everything
        text = text[1:-1].strip()
    return text


def parse(text: str, special: dict[str, Expr] | None = None) -> Expr:
    """The expression of a Condition text; `special` adds phrases of another field table (the check-in's)."""
    text = _strip_parens(text)
    phrases = SPECIAL if special is None else {**SPECIAL, **special}
    if text in phrases:
        return phrases[text]
    for word, kind in (("OR", AnyOf), ("AND", AllOf)):
        parts = _split_top(text, word)
        if len(parts) > 1:
            return kind(tuple(parse(p, special) for p in parts))
    match = _ATOM.match(text)
    if not match:
        raise UnsupportedCondition(text)
    name, op, raw = match.groups()
    value: str | int = int(raw) if re.fullmatch(r"-?\d+", raw) else raw
    return Atom(name, op, value)


def render(expr: Expr) -> str:
    """A canonical text of an expression (to compare two conditions)."""
    if isinstance(expr, Atom):
        return f"{expr.question} {expr.op} {expr.value}"
    word = " AND " if isinstance(expr, AllOf) else " OR "
    return "(" + word.join(sorted(render(p) for p in expr.parts)) + ")"


@dataclass(frozen=True)
class EnableRule:
    """How one item is enabled: enableWhen atoms with a behaviour, or a FHIRPath expression."""

    atoms: tuple[Atom, ...] = ()
    behavior: str | None = None  # "any" | "all" when there is more than one atom (invariant que-12)
    expression: str | None = None


def _flat_atoms(expr: Expr) -> bool:
    return isinstance(expr, Atom) and not expr.any_occurrence


def rule_for(expr: Expr, condition_of) -> EnableRule:
    """The FHIR form of `expr`. `condition_of(linkId)` gives the Expr that enables an item, or None.

    FHIR reads a disabled item as unanswered, so in `X AND (a OR b ...)` the X is dropped when every atom a, b, ...
    is a question that is itself enabled exactly by X: the CAD follow-up question is enabled by any CAD item = yes,
    and those items exist only with neck pain or headache.
    """
    if _flat_atoms(expr):
        return EnableRule(atoms=(expr,))
    if isinstance(expr, (AnyOf, AllOf)) and all(_flat_atoms(p) for p in expr.parts):
        behavior = "any" if isinstance(expr, AnyOf) else "all"
        return EnableRule(atoms=tuple(expr.parts), behavior=behavior if len(expr.parts) > 1 else None)
    if isinstance(expr, AllOf) and len(expr.parts) == 2:
        for outer, inner in (expr.parts, expr.parts[::-1]):
            inner_atoms = inner.parts if isinstance(inner, AnyOf) else (inner,)
            if all(_flat_atoms(a) for a in inner_atoms) and all(
                condition_of(a.question) is not None and render(condition_of(a.question)) == render(outer)
                for a in inner_atoms
            ):
                return rule_for(inner, condition_of)
    return EnableRule(expression=fhirpath(expr))


def _literal(value) -> str:
    return str(value) if isinstance(value, int) else "'" + str(value).replace("'", "\\'") + "'"


def fhirpath(expr: Expr) -> str:
    """The FHIRPath (on %resource, the QuestionnaireResponse) that is true when `expr` holds."""
    if isinstance(expr, Atom):
        answers = f"%resource.repeat(item).where(linkId='{expr.question}').answer.value"
        op = "=" if expr.op == "=" else expr.op
        if isinstance(expr.value, int):
            return f"{answers}.where($this {op} {expr.value}).exists()"
        return f"{answers}.where(code {op} {_literal(expr.value)}).exists()"
    word = " and " if isinstance(expr, AllOf) else " or "
    return "(" + word.join(fhirpath(p) for p in expr.parts) + ")"
