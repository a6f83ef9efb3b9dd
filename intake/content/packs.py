"""Content packs: a clinic's own licensed wording for the instruments we may not ship (reference.md §1.3, "BYO").

A pack is a JSON object::

    {"title": "...", "instructions": "... (optional)",
     "options": [{"value": 0, "label": "Never"}, ...],          # shared answer options (optional)
     "items": [{"text": "...", "options": [...] (optional, overrides the shared ones)}, ...],
     "form": "8a"}                                              # PROMIS Sleep Disturbance only: 4a, 6a or 8a

It is checked against the instrument module's N_ITEMS and SCALE, so the answers it can produce are exactly the
values contract B.13 accepts. Items with a day-count scale (MIDAS) may leave out options: they get a number box.
Without an active, valid pack the instrument is simply not asked (B.13: never imputed).
"""

from __future__ import annotations

from intake.triage.instruments import INSTRUMENTS

# Pack key -> the `instruments` input key it fills (CSI part A; part B's conditions are asked in own words).
INPUT_KEY = {
    "csi": "csi_a",
    "odi": "odi",
    "ndi": "ndi",
    "startback": "startback",
    "hit6": "hit6",
    "midas": "midas",
    "isi": "isi",
    "peg": "peg",
    "pseq": "pseq",
    "id_migraine": "id_migraine",
    "promis_sleep": "promis_sleep",
}
LICENSED = tuple(k for k in INPUT_KEY if not INSTRUMENTS[k].SHIPPABLE)
MAX_TEXT = 2000


def n_items(instrument: str, content: dict) -> int | None:
    module = INSTRUMENTS[instrument]
    if instrument == "promis_sleep":
        return module.FORM_ITEMS.get(content.get("form")) if isinstance(content.get("form"), str) else None
    return module.N_ITEMS


def item_domain(instrument: str, index: int, count: int) -> dict:
    """The values one item may take, read from the module's SCALE: {"type": "int"|"enum"|"bool", ...}."""
    module = INSTRUMENTS[instrument]
    scale = module.SCALE
    if instrument == "startback":
        values = scale["item_9"] if index == count - 1 else scale["items_1_8"]
        return {"type": "enum", "values": tuple(values)}
    if instrument in ("midas", "promis_sleep"):
        item = scale["items"]
        return {"type": "int", "lo": item["min"], "hi": item["max"], "nullable": False}
    if scale["type"] == "integer":
        return {"type": "int", "lo": scale["min"], "hi": scale["max"], "nullable": bool(scale.get("nullable"))}
    if scale["type"] == "enum":
        return {"type": "enum", "values": tuple(scale["values"])}
    if scale["type"] == "boolean":
        return {"type": "bool"}
    raise ValueError(f"no item domain for {instrument}")  # pragma: no cover - a new instrument shape


def value_allowed(domain: dict, value) -> bool:
    if domain["type"] == "bool":
        return isinstance(value, bool)
    if domain["type"] == "enum":
        return isinstance(value, str) and value in domain["values"]
    return type(value) is int and domain["lo"] <= value <= domain["hi"]


def _text_ok(value) -> bool:
    return isinstance(value, str) and 0 < len(value.strip()) <= MAX_TEXT


def _check_options(options, domain: dict, where: str) -> list[str]:
    if not isinstance(options, list) or len(options) < 2:
        return [f"{where}: options must be a list of at least 2 answers"]
    errors, seen = [], []
    for j, option in enumerate(options):
        if not isinstance(option, dict) or set(option) != {"value", "label"}:
            errors.append(f"{where} option {j + 1}: must be an object with exactly 'value' and 'label'")
            continue
        if not _text_ok(option["label"]):
            errors.append(f"{where} option {j + 1}: the label must be non-empty text")
        if not value_allowed(domain, option["value"]):
            errors.append(f"{where} option {j + 1}: value {option['value']!r} is not allowed by the instrument's scale")
        elif option["value"] in seen:
            errors.append(f"{where} option {j + 1}: value {option['value']!r} is listed twice")
        else:
            seen.append(option["value"])
    return errors


def validate_pack(instrument: str, content) -> list[str]:
    """Every problem of a pack's JSON for `instrument`, in plain words; [] when it can be used."""
    if instrument not in LICENSED:
        return [f"{instrument!r} is not an instrument that needs a content pack ({', '.join(LICENSED)})"]
    if not isinstance(content, dict):
        return ["the pack must be a JSON object"]
    errors: list[str] = []
    allowed = {"title", "instructions", "options", "items", "form"}
    unknown = sorted(set(content) - allowed)
    if unknown:
        errors.append(f"unknown keys: {', '.join(unknown)}")
    if not _text_ok(content.get("title")):
        errors.append("'title' must be non-empty text")
    if "instructions" in content and not isinstance(content["instructions"], str):
        errors.append("'instructions' must be text")
    if instrument == "promis_sleep":
        if content.get("form") not in INSTRUMENTS["promis_sleep"].FORM_ITEMS:
            errors.append("'form' must be one of 4a, 6a, 8a")
    elif "form" in content:
        errors.append("'form' is only used by promis_sleep")
    items = content.get("items")
    expected = n_items(instrument, content)
    if not isinstance(items, list):
        return [*errors, "'items' must be a list"]
    if expected is not None and len(items) != expected:
        errors.append(f"'items' must have exactly {expected} items for {instrument}, got {len(items)}")
    count = len(items)
    shared = content.get("options")
    for i, item in enumerate(items):
        where = f"item {i + 1}"
        if not isinstance(item, dict) or not set(item) <= {"text", "options"}:
            errors.append(f"{where}: must be an object with 'text' and optional 'options'")
            continue
        if not _text_ok(item.get("text")):
            errors.append(f"{where}: 'text' must be non-empty text")
        domain = item_domain(instrument, i, count)
        options = item.get("options", shared)
        if options is None:
            if domain["type"] != "int" or domain["hi"] - domain["lo"] <= 10:
                errors.append(f"{where}: needs answer options (per item or shared)")
            continue
        errors += _check_options(options, domain, where)
    return errors
