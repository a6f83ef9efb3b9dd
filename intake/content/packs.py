"""Content packs: a clinic's own licensed wording for the instruments we may not ship (reference.md §1.3, "BYO").

A pack is a JSON object::

    {"title": "...", "instructions": "... (optional)",
     "options": [{"value": 0, "label": "Never"}, ...],          # shared answer options (optional)
     "items": [{"text": "...", "options": [...] (optional, overrides the shared ones)}, ...],
     "form": "8a",                                              # PROMIS Sleep Disturbance only: 4a, 6a or 8a
     "t_scores": {"8": 28.9, ..., "40": 76.5},                  # PROMIS Sleep Disturbance only (optional)
     "a": {"text": "...", "options": [...] (optional)},         # MIDAS only (optional): item A, 0-92 days
     "b": {"text": "...", "options": [...] (optional)}}         # MIDAS only (optional): item B, pain 0-10

It is checked against the instrument module's N_ITEMS and SCALE, so the answers it can produce are exactly the
values contract B.13 accepts. Items with a day-count scale (MIDAS) may leave out options: they get a number box.
Without an active, valid pack the instrument is simply not asked (B.13: never imputed).

- MIDAS items A (headache days in 3 months) and B (average pain 0-10) are unscored context (reference §1.2.7) and
  optional in the pack: with its wording the wizard asks each as an optional question (a number box without
  options) and sends `midas.a` / `midas.b` only when answered; without it they are not asked.
- PROMIS Sleep Disturbance: `t_scores` is the official HealthMeasures raw-sum -> T-score table of the pack's form
  (licensed, so it comes with the pack, §1.2.19): one entry for every possible raw sum (4-20, 6-30 or 8-40; keys
  are the sums written as JSON strings), each a T-score from 0 to 100, never falling as the sum rises. With it
  the wizard sends `t_score` (contract B.13); without it `t_score` is left out and only the raw sum is reported.
- CSI: the pack holds part A (25 items). Part B (`csi_b`, the ten conditions) is asked in the project's own words
  (intake/questions.py) right after part A; condition names are not licensed text.
"""

from __future__ import annotations

import math

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
# Pack keys that only one instrument uses, beyond title / instructions / options / items.
OWN_KEYS = {"promis_sleep": ("form", "t_scores"), "midas": ("a", "b")}
# MIDAS items A and B: optional, unscored questions after the 5 scored ones (contract B.13 `midas.a` / `.b`).
EXTRA_ITEMS = {"midas": ("a", "b")}
T_SCORE_RANGE = (0, 100)


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


def extra_domain(instrument: str, key: str) -> dict:
    """The values of an extra item (MIDAS A or B), read from the module's SCALE."""
    item = INSTRUMENTS[instrument].SCALE[key]
    return {"type": "int", "lo": item["min"], "hi": item["max"], "nullable": False}


def raw_sums(instrument: str, content: dict) -> range | None:
    """Every raw sum a PROMIS Sleep Disturbance pack's form can give (items scored 1-5); None without a valid form."""
    count = n_items(instrument, content)
    if instrument != "promis_sleep" or count is None:
        return None
    item = INSTRUMENTS[instrument].SCALE["items"]
    return range(item["min"] * count, item["max"] * count + 1)


def t_score_table(content: dict) -> dict[int, int | float] | None:
    """A valid PROMIS pack's raw-sum -> T-score table by integer sum; None when the pack carries none."""
    table = content.get("t_scores")
    if not isinstance(table, dict):
        return None
    return {int(k): v for k, v in table.items()}


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _check_t_scores(instrument: str, content: dict) -> list[str]:
    table = content["t_scores"]
    sums = raw_sums(instrument, content)
    if sums is None:
        return []  # the form is wrong: reported on its own
    if not isinstance(table, dict):
        return ["'t_scores' must be an object from each raw sum to its T-score"]
    expected = [str(n) for n in sums]
    errors = []
    missing = [k for k in expected if k not in table]
    unknown = sorted(set(table) - set(expected), key=lambda k: (len(k), k))
    if missing:
        errors.append(f"'t_scores' needs a T-score for every raw sum {sums[0]}-{sums[-1]} of form "
                      f"{content['form']}; missing: {', '.join(missing)}")
    if unknown:
        errors.append(f"'t_scores' has raw sums that form {content['form']} cannot give: {', '.join(unknown)}")
    lo, hi = T_SCORE_RANGE
    previous = None
    for key in expected:
        if key not in table:
            continue
        value = table[key]
        if not _is_number(value) or not lo <= value <= hi:
            errors.append(f"'t_scores' {key}: must be a number from {lo} to {hi}, got {value!r}")
            previous = None
            continue
        if previous is not None and value < previous[1]:
            errors.append(f"'t_scores' {key}: the T-score falls as the raw sum rises ({previous[0]}: {previous[1]}, "
                          f"{key}: {value})")
        previous = (key, value)
    return errors


def _check_extra_item(instrument: str, key: str, item) -> list[str]:
    where = f"item {key.upper()}"
    if not isinstance(item, dict) or not set(item) <= {"text", "options"}:
        return [f"'{key}' ({where}) must be an object with 'text' and optional 'options'"]
    errors = [] if _text_ok(item.get("text")) else [f"{where}: 'text' must be non-empty text"]
    if "options" in item:
        errors += _check_options(item["options"], extra_domain(instrument, key), where)
    return errors


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
    own = {key: owner for owner, keys in OWN_KEYS.items() for key in keys}
    allowed = {"title", "instructions", "options", "items", *own}
    unknown = sorted(set(content) - allowed)
    if unknown:
        errors.append(f"unknown keys: {', '.join(unknown)}")
    for key in sorted(set(content) & set(own)):
        if own[key] != instrument:
            errors.append(f"'{key}' is only used by {own[key]}")
    if not _text_ok(content.get("title")):
        errors.append("'title' must be non-empty text")
    if "instructions" in content and not isinstance(content["instructions"], str):
        errors.append("'instructions' must be text")
    if instrument == "promis_sleep":
        if content.get("form") not in INSTRUMENTS["promis_sleep"].FORM_ITEMS:
            errors.append("'form' must be one of 4a, 6a, 8a")
        if "t_scores" in content:
            errors += _check_t_scores(instrument, content)
    for key in EXTRA_ITEMS.get(instrument, ()):
        if key in content:
            errors += _check_extra_item(instrument, key, content[key])
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
