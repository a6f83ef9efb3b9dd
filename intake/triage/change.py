"""Follow-up rules, reference.md §6: the check-in red-flag re-screen (§6.1 item 7, §6.4 R8, POST-TX-NEURO §2.4) and
the deterministic change rules §6.4 R1–R12 against the baseline intake.

`evaluate_followup(document) -> summary` is the one entry point (docs/checkin-contract.md). Pure and deterministic
like the rest of the engine: no Django, no database, no clock (dates come in the input). Arithmetic on scores uses
exact fractions so a boundary (a PSFS change of exactly 2.3, a 50 % reduction) never falls on the wrong side by a
floating-point hair.
"""

from __future__ import annotations

import copy
from fractions import Fraction

from . import checkin_schema as cs
from .engine import evaluate_valid, overall_tier, patient_screen
from .errors import InvalidInput
from .instruments import INSTRUMENTS, score_instruments
from .red_flags import (
    ACTION_RANK,
    ED_NOW,
    NO_CERVICAL_HVLA,
    NO_CERVICAL_MT,
    NOTE,
    SAME_DAY,
    TIER_OF_ACTION,
    URGENT_REFERRAL,
    counted_items,
    evaluate_flags,
    precautions_of,
)
from .unclear import CAD_QUESTIONS, ED_NOW_QUESTIONS, LBP_QUESTIONS
from .util import round_half_up
from .version import RULES_VERSION

CONTRACT_VERSION = cs.CONTRACT_VERSION

# §6.4 R4 (with R5, R6 and the contract's two extra statuses): the closed list of change statuses.
STATUSES = (
    "improved_meaningful",
    "improved_relative_only",
    "worse_meaningful",
    "no_meaningful_change",
    "not_assessable_floor",
    "not_assessable_window",
    "not_comparable",
    "no_mcid",
    "out_of_window",
)

# PRODUCT RULE values of §6.3 / §6.4 that are not an instrument's MCID, defined once.
THRESHOLDS = {
    "headache_days_pct": Fraction(50),  # §6.3 [TASS18][IHS-DELPHI]: ≥50 % reduction
    "headache_days_secondary_pct": Fraction(30),  # §6.3 ⚠ unverified: ≥30 % sometimes meaningful
    "headache_days_min_baseline": 4,  # R6 PRODUCT RULE: baseline ≥4 days per month
    "headache_days_min_window": 28,  # R6: the ≥50 % rule only on 28-day windows
    "rmdq_floor": 4,  # R5 [STRAT96]: not assessable below 4
    "rmdq_ceiling": 20,  # R5 [STRAT96]: deterioration not detectable above 20
    "hit6_min_days": 28,  # §6.3: ≥4 weeks between administrations (4-week recall)
    "midas_from_weeks": 12,  # §6.3: 3-month recall, compare baseline with week 12 (and later, §6.2)
    "midas_abs_baseline_from": 11,  # §1.2.7 ⚠: the ≥5-point MCID applies to a baseline of 11–20
    "phq9_relative_band": (10, 14),  # §6.3 [KOUN22]: ~20 % at moderate baseline severity
    "pgic_urgent": (6, 7),  # R7
    "pgic_routine": 5,  # R7
    "pgic_responder": (1, 2),  # §1.2.13 [FARRAR01]
    "r10_pgic": 4,  # R10: PGIC ≥ 4
    "r11_ha_days": 15,  # R11: headache days per 28 ≥ 15
    "r12_from_weeks": 12,  # R12: 12-week re-classification (and the 26/52-week check-ins, "as at 12 weeks")
}
# §4.7 thresholds per class (days per month, read per 28 days by R11).
MOH_CLASS_THRESHOLDS = {"ergot": 10, "triptan": 10, "nonopioid": 15, "opioid": 10, "combination": 10}

# The measures compared, in output order, with the §6.3 row that applies. `scale_max` serves R5 for higher-is-better
# measures (the floor is "less than one MCID of room to improve", see the contract).
DISABILITY = ("rmdq", "odi", "ndi", "hit6")  # R10 "the disability measure"
NPRS = ("nprs_back", "nprs_head")
SCORE_MEASURES = (
    "rmdq",
    "odi",
    "ndi",
    "psfs",
    "hit6",
    "midas",
    "phq9",
    "gad7",
    "phq4",
    "isi",
    "pseq",
    "peg",
    "csi",
    "promis_sleep",
)
NOT_TRENDED = ("startback", "wpi", "sss", "fs", "id_migraine", "csi_b")  # §6.3: not outcome measures
SCALE_MAX = {"psfs": 10, "pseq": 60}
SOURCES = {
    "nprs_back": "[FARRAR01][OSTELO08]",
    "nprs_head": "[FARRAR01][OSTELO08]",
    "rmdq": "[OSTELO08][STRAT96]",
    "odi": "[OSTELO08][ABBOTT14]",
    "ndi": "[VERNON][ABBOTT14]",
    "psfs": "[ABBOTT14]",
    "hit6": "[HOUTS20][SMELT14][CASTIEN12]",
    "midas": "[AHS19]",
    "phq9": "[LOWE04][KOUN22]",
    "gad7": "[TOUS20]",
    "isi": "[YANG09][MORIN11]",
    "pseq": "[CHIAR16]",
    "peg": "PRODUCT RULE [FARRAR01]",
    "headache_days": "[TASS18][IHS-DELPHI]",
    "migraine_days": "[TASS18][IHS-DELPHI]",
}

NOTE_TEXT = {
    "RF-UNCLEAR": "unclear red-flag answer",
    "PGIC-WORSE": "much or very much worse: clinician contact before the next treatment",
    "PGIC-MINIMALLY-WORSE": "minimally worse",
    "DISCORDANT-CHANGE": "discordant patient-reported change",
    "NO-RESPONSE-6W": "no meaningful improvement at 6 weeks: review plan",
    "MED-MOH-RISK": "acute-medication use at MOH-risk level",
    "POSSIBLE-MOH": "possible MOH: review",
    "NEW-EVENT": "new injury, procedure or diagnosis since the last check-in",
    "FREE-TEXT": "the patient wrote a message for the clinician",
    "OUT-OF-WINDOW": "answered outside its window: stored, excluded from MCID comparisons",
    "BASELINE-RESCORED": "baseline re-scored with the current rules for a like-with-like comparison",
}
POST_TX_RULE = {"id": "POST-TX-NEURO", "ref": "§2.4", "sources": ["IFOMPT20"]}
UNCLEAR_EXTRA_ED_NOW = frozenset({"post_tx_severe_headache", "post_tx_nausea", "post_tx_within_7_days"})


# ---------------------------------------------------------------- small helpers
def _num(value):
    """A number for the output: exact integers stay integers, other values are rounded half-up to 1 decimal."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return int(value)
        return round_half_up(float(value.limit_denominator(10**9)), 1) if abs(value) < 10**12 else float(value)
    return value


def _frac(value) -> Fraction | None:
    return None if value is None else Fraction(str(value)) if isinstance(value, float) else Fraction(value)


def _note(note_id: str, action: str | None, facts: list[str], text: str | None = None) -> dict:
    return {
        "id": note_id,
        "tier": TIER_OF_ACTION[action] if action else None,
        "action": action,
        "text": text or NOTE_TEXT[note_id],
        "triggered_by": facts,
    }


def _note_order(note: dict) -> tuple:
    rank = ACTION_RANK[note["action"]] if note["action"] is not None else 0
    return (-rank, note["id"])


# ---------------------------------------------------------------- R8: the red-flag re-screen
def rescreen_answers(baseline: dict, answers: dict) -> dict:
    """The answers the §2 rules read at follow-up: the baseline context (checkin_schema.CARRIED_FROM_BASELINE)
    plus this check-in's re-screen answers, all under their part-B names."""
    a = {k: copy.deepcopy(baseline[k]) for k in cs.CARRIED_FROM_BASELINE if k in baseline}
    for key in cs.RESCREEN_FIELDS:
        if key in answers:
            a[key] = answers[key]
    # Leg pain now reaching below the knee opens the LBP-CES scope (E.1) even if the baseline had no leg pain.
    if answers.get("leg_pain_below_knee") in ("left", "right", "both"):
        a["leg_pain"] = "yes"
    phq9 = (answers.get("instruments") or {}).get("phq9")
    a["instruments"] = {"phq9": phq9} if phq9 is not None else {}
    return a


def post_tx_neuro(a: dict) -> dict | None:
    """POST-TX-NEURO (§2.4, at follow-up): any 5D3N item (nausea only alongside another item), eyelid droop or a new
    severe headache within 7 days of cervical treatment → EMERGENCY / ED_NOW. The typical-aura exclusion of E.4
    applies as it does to CAD-ACUTE (the same symptom answers)."""
    if a.get("neck_treatment_since_last") != "yes":
        return None
    items = counted_items(a, cs.POST_TX_ITEMS) + [n for n in cs.POST_TX_EXTRA if a.get(n) == "yes"]
    if not items or a.get("post_tx_within_7_days") != "yes":
        return None
    facts = ["neck_treatment_since_last=yes", *(f"{n}=yes" for n in items)]
    if a.get(cs.POST_TX_NAUSEA) == "yes":
        facts.append(f"{cs.POST_TX_NAUSEA}=yes")
    facts.append("post_tx_within_7_days=yes")
    return {
        "id": POST_TX_RULE["id"],
        "tier": TIER_OF_ACTION[ED_NOW],
        "action": ED_NOW,
        "triggered_by": facts,
        "sources": list(POST_TX_RULE["sources"]),
    }


def _unclear(answers: dict) -> tuple[list[dict], set[str]]:
    """§2.1 / contract E.2 on the re-screen answers only (a carried baseline answer is never listed again; the
    history questions cancer_history and immunosuppressed are never re-asked, so their back-pain clause of E.2
    cannot apply)."""
    found: list[tuple[str, str]] = []
    for key in cs.RF_FIELDS:
        if answers.get(key) == "not_sure":
            found.append((key, f"{key}=not_sure"))
    if answers.get("onset_to_peak") == "not_sure":
        found.append(("onset_to_peak", "onset_to_peak=not_sure"))
    if "not_sure" in (answers.get("preeclampsia_symptoms") or ()):
        found.append(("preeclampsia_symptoms", "preeclampsia_symptoms[]=not_sure"))
    if not found:
        return [], set()
    questions = [q for q, _ in found]
    ed_now = ED_NOW_QUESTIONS | UNCLEAR_EXTRA_ED_NOW
    action = SAME_DAY if any(q in ed_now for q in questions) else URGENT_REFERRAL
    precautions: set[str] = set()
    for q in questions:
        if q in LBP_QUESTIONS:
            precautions.add("NO_MANUAL_THERAPY_REGION=lumbar")
        if q in CAD_QUESTIONS or q in UNCLEAR_EXTRA_ED_NOW:
            precautions.add(NO_CERVICAL_HVLA)
    return [_note("RF-UNCLEAR", action, [f for _, f in found])], precautions


def _prefix_facts(facts: list[str], answers: dict) -> list[str]:
    """Facts read from the carried baseline answers are written `baseline.<path>`."""
    out = []
    for fact in facts:
        head = fact.split("=", 1)[0].split("[", 1)[0].split(".", 1)[0]
        if head in cs.CARRIED_FROM_BASELINE and head not in answers:
            fact = f"baseline.{fact}"
        out.append(fact)
    return out


def evaluate_rescreen(baseline: dict, answers: dict) -> tuple[list[dict], list[dict], set[str], list[dict]]:
    """R8: returns (red_flags sorted per C.12, unclear notes, precautions, explain entries)."""
    a = rescreen_answers(baseline, answers)
    flags, explain = evaluate_flags(a)
    for flag in flags:
        flag["triggered_by"] = _prefix_facts(flag["triggered_by"], answers)
    precautions = precautions_of(a, flags)
    post = post_tx_neuro(a)
    explain.append(
        {
            "id": "POST-TX-NEURO",
            "ref": "§2.4",
            "result": post is not None,
            "inputs": {
                k: a.get(k)
                for k in (
                    "neck_treatment_since_last",
                    *cs.POST_TX_ITEMS,
                    *cs.POST_TX_EXTRA,
                    cs.POST_TX_NAUSEA,
                    "post_tx_within_7_days",
                )
            },
        }
    )
    if post is not None:
        flags.append(post)
        # PRODUCT RULE (docs/decisions.md): like CAD-ACUTE, a post-treatment neurological event stops neck treatment.
        precautions.add(NO_CERVICAL_MT)
    flags.sort(key=lambda f: (-ACTION_RANK[f["action"]], f["id"]))
    notes, unclear_precautions = _unclear(answers)
    return flags, notes, precautions | unclear_precautions, explain


# ---------------------------------------------------------------- R2–R6: one measure's change
def _mcid_out(abs_, pct, measure: str, **extra) -> dict:
    out = {"abs": _num(_frac(abs_)), "pct": _num(_frac(pct)), "ref": "§6.3", "sources": SOURCES.get(measure, "")}
    out.update({k: v for k, v in extra.items() if v})
    return out


def _entry(
    measure: str,
    direction: str,
    base,
    follow,
    status: str,
    *,
    delta=None,
    pct=None,
    mcid=None,
    reason: str | None = None,
    caveats: list[str] | None = None,
    **extra,
) -> dict:
    entry = {
        "measure": measure,
        "direction": direction,
        "baseline": _num(base),
        "followup": _num(follow),
        "delta": _num(delta),
        "pct": _num(pct),
        "mcid": mcid,
        "status": status,
        "reason": reason,
        "caveats": caveats or [],
    }
    entry.update(extra)
    return entry


def assess(
    measure: str,
    base: Fraction,
    follow: Fraction,
    *,
    direction: str,
    mcid_abs=None,
    mcid_pct=None,
    relative_primary: bool = False,
    secondary_pct=None,
    scale_max=None,
    floor_extra=None,
) -> tuple:
    """R2–R5 for one numeric measure. Returns (status, delta, pct, reason).

    R2: a positive delta always means improvement. R3: pct only for lower-is-better measures, undefined at baseline
    0. R5 comes first (a floor is never called a change). R4: first match wins. A measure whose meaningful
    improvement is itself relative (PEG, MIDAS > 20, headache days) uses its percentage as the MCID, symmetrically.
    """
    lower = direction == "lower_is_better"
    delta = base - follow if lower else follow - base
    pct = (100 * delta / base) if lower and base != 0 else None
    abs_ = _frac(mcid_abs)
    rel = _frac(mcid_pct)
    if floor_extra is not None and base < floor_extra:
        return "not_assessable_floor", delta, pct, f"baseline {_num(base)} < {floor_extra}"
    if abs_ is not None:
        if lower and base < abs_:
            return "not_assessable_floor", delta, pct, f"baseline {_num(base)} < MCID {_num(abs_)}"
        if not lower and scale_max is not None and scale_max - base < abs_:
            return "not_assessable_floor", delta, pct, f"less than one MCID ({_num(abs_)}) of room to improve"
        if delta >= abs_:
            return "improved_meaningful", delta, pct, None
        if rel is not None and pct is not None and pct >= rel:
            return "improved_relative_only", delta, pct, None
        if -delta >= abs_:
            return "worse_meaningful", delta, pct, None
        return "no_meaningful_change", delta, pct, None
    if relative_primary and rel is not None:
        if pct is None:
            return "not_assessable_floor", delta, pct, "baseline 0: relative change undefined (R3)"
        if pct >= rel:
            return "improved_meaningful", delta, pct, None
        if secondary_pct is not None and pct >= _frac(secondary_pct):
            return "improved_relative_only", delta, pct, None
        if -pct >= rel:
            return "worse_meaningful", delta, pct, None
        return "no_meaningful_change", delta, pct, None
    return "no_mcid", delta, pct, None


def _value(measure: str, scores: dict, inst: dict):
    """The exact value compared for a score measure (unrounded where the reported total is rounded, C.10)."""
    if measure == "odi":
        sections = [s for s in inst.get("odi") or () if s is not None]
        if scores.get("odi", {}).get("total") is None:
            return None
        return Fraction(sum(sections) * 20, len(sections))
    if measure == "peg":
        return Fraction(sum(inst["peg"]), 3) if "peg" in inst else None
    entry = scores.get(measure)
    return None if entry is None else _frac(entry.get("total"))


def _activity_key(text: str) -> str:
    return " ".join(text.casefold().split())


def _psfs(base_inst: dict, follow_inst: dict, out_of_window: bool) -> dict:
    """R1: the same PSFS activities. Only activities rated at both are compared (matched by their text)."""
    base = {_activity_key(a["activity"]): a["score"] for a in base_inst["psfs"]}
    follow = {_activity_key(a["activity"]): a["score"] for a in follow_inst["psfs"]}
    matched = [k for k in follow if k in base]
    mcid = INSTRUMENTS["psfs"].MCID
    mcid_out = _mcid_out(mcid["abs"], None, "psfs")
    if not matched:
        return _entry(
            "psfs",
            "higher_is_better",
            None,
            None,
            "not_comparable",
            mcid=mcid_out,
            reason="no activity of the baseline was re-rated (R1: same activities)",
        )
    b = Fraction(sum(base[k] for k in matched), len(matched))
    f = Fraction(sum(follow[k] for k in matched), len(matched))
    caveats = (
        []
        if len(matched) == len(base) == len(follow)
        else [f"{len(matched)} of {len(base)} baseline activities re-rated; compared on those only (R1)"]
    )
    if out_of_window:
        return _entry(
            "psfs",
            "higher_is_better",
            b,
            f,
            "out_of_window",
            delta=f - b,
            mcid=mcid_out,
            reason="answered outside its window (§6.2)",
            caveats=caveats,
            activities_compared=len(matched),
        )
    status, delta, pct, reason = assess(
        "psfs", b, f, direction="higher_is_better", mcid_abs=mcid["abs"], scale_max=SCALE_MAX["psfs"]
    )
    return _entry(
        "psfs",
        "higher_is_better",
        b,
        f,
        status,
        delta=delta,
        pct=pct,
        mcid=mcid_out,
        reason=reason,
        caveats=caveats,
        activities_compared=len(matched),
    )


def _score_measure(measure: str, ctx: dict) -> dict | None:
    base_scores, follow_scores = ctx["base_scores"], ctx["follow_scores"]
    base_inst, follow_inst = ctx["base_inst"], ctx["follow_inst"]
    if measure not in follow_scores:
        return None
    module = INSTRUMENTS[measure]
    mcid = module.MCID
    direction = mcid["direction"] if mcid else "lower_is_better"
    if measure == "psfs":
        if "psfs" not in base_inst:
            return _entry("psfs", direction, None, None, "not_comparable", reason="not given at baseline")
        return _psfs(base_inst, follow_inst, ctx["out_of_window"])
    follow = _value(measure, follow_scores, follow_inst)
    base = _value(measure, base_scores, base_inst) if measure in base_scores else None
    if base is None or follow is None:
        why = "not given at baseline" if measure not in base_scores else "not scored (missing items, §1.2)"
        return _entry(measure, direction, base, follow, "not_comparable", reason=why)
    extra: dict = {}
    if measure == "csi":
        extra["band_change"] = {
            "baseline": base_scores["csi"]["band"],
            "followup": follow_scores["csi"]["band"],
            "changed": base_scores["csi"]["band"] != follow_scores["csi"]["band"],
        }
    if measure == "promis_sleep" and base_scores[measure]["form"] != follow_scores[measure]["form"]:
        return _entry(
            measure,
            direction,
            base,
            follow,
            "not_comparable",
            reason="different short form (R1: same instrument version)",
        )
    if measure == "hit6" and ctx["day"] < THRESHOLDS["hit6_min_days"]:
        return _entry(
            measure,
            direction,
            base,
            follow,
            "not_comparable",
            reason="less than 4 weeks after baseline (4-week recall, §6.3)",
        )
    if measure == "midas" and ctx["weeks"] < THRESHOLDS["midas_from_weeks"]:
        return _entry(
            measure,
            direction,
            base,
            follow,
            "not_comparable",
            reason="3-month recall: compared from the 12-week check-in (§6.3)",
        )
    if ctx["out_of_window"]:
        delta = base - follow if direction == "lower_is_better" else follow - base
        return _entry(
            measure,
            direction,
            base,
            follow,
            "out_of_window",
            delta=delta,
            reason="answered outside its window (§6.2)",
            **extra,
        )
    abs_, pct_, relative_primary, flags = None, None, False, {}
    caveats: list[str] = []
    floor_extra = None
    if mcid is not None:
        abs_, pct_ = mcid.get("abs"), mcid.get("pct")
        flags = {"unverified": mcid.get("unverified", False), "provisional": mcid.get("provisional", False)}
        relative_primary = abs_ is None
    if measure == "midas":
        if THRESHOLDS["midas_abs_baseline_from"] <= base <= mcid["pct_baseline_above"]:
            abs_, pct_, relative_primary = mcid["abs"], None, False
        elif base > mcid["pct_baseline_above"]:
            abs_, relative_primary = None, True
        else:
            return _entry(
                measure,
                direction,
                base,
                follow,
                "no_mcid",
                delta=base - follow,
                mcid=_mcid_out(None, None, measure, unverified=True),
                reason="no MCID for a baseline of 10 or less (§1.2.7)",
            )
    if measure == "phq9":
        lo, hi = THRESHOLDS["phq9_relative_band"]
        if not lo <= base <= hi:
            pct_ = None  # §6.3: the ~20 % figure applies at moderate baseline severity only
    if measure == "rmdq":
        floor_extra = THRESHOLDS["rmdq_floor"]
        if base > THRESHOLDS["rmdq_ceiling"]:
            caveats.append("baseline > 20: deterioration cannot be detected (R5)")
    status, delta, pct, reason = assess(
        measure,
        base,
        follow,
        direction=direction,
        mcid_abs=abs_,
        mcid_pct=pct_,
        relative_primary=relative_primary,
        scale_max=SCALE_MAX.get(measure),
        floor_extra=floor_extra,
    )
    mcid_doc = _mcid_out(abs_, pct_, measure, **flags) if mcid is not None else None
    return _entry(
        measure,
        direction,
        base,
        follow,
        status,
        delta=delta,
        pct=pct,
        mcid=mcid_doc,
        reason=reason,
        caveats=caveats,
        **extra,
    )


def _nprs(measure: str, ctx: dict) -> dict | None:
    follow = ctx["answers"].get(measure)
    if follow is None:
        return None
    base = ctx["base_inst"].get(measure)
    mcid = INSTRUMENTS[measure].MCID
    mcid_doc = _mcid_out(mcid["abs"], mcid["pct"], measure)
    if follow == "no_headaches":
        return _entry(
            measure,
            "lower_is_better",
            base,
            None,
            "not_comparable",
            mcid=mcid_doc,
            reason="no headaches in the last 7 days: intensity on headache days is not defined (see the headache days)",
        )
    if base is None:
        return _entry(measure, "lower_is_better", None, follow, "not_comparable", reason="not given at baseline")
    b, f = Fraction(base), Fraction(follow)
    if ctx["out_of_window"]:
        return _entry(
            measure,
            "lower_is_better",
            b,
            f,
            "out_of_window",
            delta=b - f,
            mcid=mcid_doc,
            reason="answered outside its window (§6.2)",
        )
    status, delta, pct, reason = assess(
        measure, b, f, direction="lower_is_better", mcid_abs=mcid["abs"], mcid_pct=mcid["pct"]
    )
    return _entry(measure, "lower_is_better", b, f, status, delta=delta, pct=pct, mcid=mcid_doc, reason=reason)


def _headache_days(measure: str, ctx: dict) -> dict | None:
    """R6: rate28 = days × 28 / window_days; the ≥50 % rule only on a ≥28-day window and a baseline ≥4 per month."""
    field = "ha_days_window" if measure == "headache_days" else "migraine_days_window"
    days = ctx["answers"].get(field)
    if days is None:
        return None
    counts = ctx["base_summary"].get("headache_counts") or {}
    base_value = counts.get("headache_days_per_month" if measure == "headache_days" else "migraine_days_per_month")
    window = ctx["window_days"]
    rate = Fraction(days * 28, window)
    mcid_doc = {
        "abs": None,
        "pct": 50,
        "secondary_pct": 30,
        "ref": "§6.3, §6.4 R6",
        "sources": SOURCES[measure],
        "unverified_secondary": True,
    }
    extra = {"window_days": window, "followup_days_in_window": days}
    if base_value is None:
        return _entry(measure, "lower_is_better", None, rate, "not_comparable", reason="not given at baseline", **extra)
    base = Fraction(base_value)  # R6 PRODUCT RULE: the intake's "per month" is read as per 28 days
    if ctx["out_of_window"]:
        return _entry(
            measure,
            "lower_is_better",
            base,
            rate,
            "out_of_window",
            delta=base - rate,
            mcid=mcid_doc,
            reason="answered outside its window (§6.2)",
            **extra,
        )
    if window < THRESHOLDS["headache_days_min_window"]:
        return _entry(
            measure,
            "lower_is_better",
            base,
            rate,
            "not_assessable_window",
            delta=base - rate,
            pct=100 * (base - rate) / base if base else None,
            mcid=mcid_doc,
            reason=f"{window}-day window: the ≥50 % rule needs 28 days (R6)",
            **extra,
        )
    if base < THRESHOLDS["headache_days_min_baseline"]:
        return _entry(
            measure,
            "lower_is_better",
            base,
            rate,
            "not_assessable_floor",
            delta=base - rate,
            pct=100 * (base - rate) / base if base else None,
            mcid=mcid_doc,
            reason="baseline fewer than 4 days per month (R6)",
            **extra,
        )
    status, delta, pct, reason = assess(
        measure,
        base,
        rate,
        direction="lower_is_better",
        mcid_pct=THRESHOLDS["headache_days_pct"],
        relative_primary=True,
        secondary_pct=THRESHOLDS["headache_days_secondary_pct"],
    )
    return _entry(
        measure, "lower_is_better", base, rate, status, delta=delta, pct=pct, mcid=mcid_doc, reason=reason, **extra
    )


def evaluate_changes(ctx: dict) -> list[dict]:
    changes = []
    for measure in NPRS:
        entry = _nprs(measure, ctx)
        if entry:
            changes.append(entry)
    for measure in SCORE_MEASURES:
        entry = _score_measure(measure, ctx)
        if entry:
            changes.append(entry)
    for measure in ("headache_days", "migraine_days"):
        entry = _headache_days(measure, ctx)
        if entry:
            changes.append(entry)
    return changes


# ---------------------------------------------------------------- R7, R9, R10: patient-reported change
def _pgic_notes(pgic: int) -> list[dict]:
    if pgic in THRESHOLDS["pgic_urgent"]:
        return [_note("PGIC-WORSE", URGENT_REFERRAL, [f"pgic={pgic}"])]
    if pgic == THRESHOLDS["pgic_routine"]:
        return [_note("PGIC-MINIMALLY-WORSE", NOTE, [f"pgic={pgic}"])]
    return []


def _discordance(pgic: int, changes: list[dict]) -> dict | None:
    """R9: NPRS improved_meaningful with PGIC ≥5, or PGIC 1–2 with NPRS worse_meaningful."""
    facts = []
    for c in changes:
        if c["measure"] not in NPRS:
            continue
        if c["status"] == "improved_meaningful" and pgic >= 5:
            facts.append(f"changes.{c['measure']}.status=improved_meaningful")
        if c["status"] == "worse_meaningful" and pgic in THRESHOLDS["pgic_responder"]:
            facts.append(f"changes.{c['measure']}.status=worse_meaningful")
    return _note("DISCORDANT-CHANGE", NOTE, [*facts, f"pgic={pgic}"]) if facts else None


def _no_response(time_point: str, in_window: bool, pgic: int, changes: list[dict]) -> tuple[dict | None, dict]:
    """R10 at 6 weeks: neither the NPRS nor the disability measure improved_meaningful, and PGIC ≥ 4."""
    relevant = {c["measure"]: c["status"] for c in changes if c["measure"] in (*NPRS, *DISABILITY)}
    applies = time_point == "week6" and in_window
    fired = applies and pgic >= THRESHOLDS["r10_pgic"] and "improved_meaningful" not in relevant.values()
    explain = {
        "id": "R10",
        "ref": "§6.4 R10",
        "result": fired,
        "inputs": {"time_point": time_point, "in_window": in_window, "pgic": pgic, "statuses": relevant},
    }
    if not fired:
        return None, explain
    facts = [f"pgic={pgic}", *(f"changes.{m}.status={s}" for m, s in relevant.items())]
    return _note("NO-RESPONSE-6W", NOTE, facts), explain


# ---------------------------------------------------------------- R11: medication trend
def _rate28(days: int, window: int) -> Fraction:
    return Fraction(days * 28, window)


def per_28_days(days: int, window: int):
    """R6 / R11: `days` counted in a `window`-day recall as days per 28 days (a number for display)."""
    return _num(_rate28(days, window))


def classes_at_threshold(med: dict, window: int) -> dict[str, Fraction]:
    """The §4.7 classes definitely at or above their threshold, per 28 days (R11). A "not_sure" class is never
    counted; the non-opioid class uses `nonopioid_any` when sent, else max(paracetamol, NSAID) (§4.7 rule 1)."""
    out: dict[str, Fraction] = {}
    for cls in ("ergot", "triptan", "opioid", "combination"):
        value = med.get(cls)
        if isinstance(value, int) and _rate28(value, window) >= MOH_CLASS_THRESHOLDS[cls]:
            out[cls] = _rate28(value, window)
    if "nonopioid_any" in med:
        nonopioid = med["nonopioid_any"]
    elif isinstance(med.get("paracetamol"), int) and isinstance(med.get("nsaid_aspirin"), int):
        nonopioid = max(med["paracetamol"], med["nsaid_aspirin"])
    else:
        nonopioid = None
    if nonopioid is not None and _rate28(nonopioid, window) >= MOH_CLASS_THRESHOLDS["nonopioid"]:
        out["nonopioid"] = _rate28(nonopioid, window)
    return out


def _medication(doc: dict, index: int, answers: dict, window: int) -> tuple[dict, list[dict], dict]:
    med = answers["med_days_window"]
    rates = {k: _num(_rate28(v, window)) for k, v in med.items() if isinstance(v, int)}
    now = classes_at_threshold(med, window)
    previous = doc["checkins"][index - 1] if index > 0 else None
    prev_classes: dict[str, Fraction] = {}
    if previous is not None and previous["status"] == "answered":
        prev_window = cs.TIME_POINTS[previous["time_point"]]["window_days"]
        prev_classes = classes_at_threshold(previous["answers"]["med_days_window"], prev_window)
    consecutive = sorted(set(now) & set(prev_classes))
    headache = doc["baseline"].get("has_headache") == "yes"  # §4.7 scope: MOH is a headache disorder
    notes = []
    if headache and consecutive:
        facts = [f"med_days_window.{c}_per_28={_num(now[c])}" for c in consecutive]
        facts += [
            f"checkins[{index - 1}].answers.med_days_window.{c}_per_28={_num(prev_classes[c])}" for c in consecutive
        ]
        notes.append(_note("MED-MOH-RISK", NOTE, facts))
        ha = answers.get("ha_days_window")
        if ha is not None and _rate28(ha, window) >= THRESHOLDS["r11_ha_days"]:
            notes.append(_note("POSSIBLE-MOH", NOTE, [*facts, f"ha_days_window_per_28={_num(_rate28(ha, window))}"]))
    summary = {
        "per_28_days": rates,
        "classes_at_threshold": sorted(now),
        "previous_classes_at_threshold": sorted(prev_classes),
        "consecutive": consecutive,
    }
    explain = {
        "id": "R11",
        "ref": "§6.4 R11, §4.7",
        "result": bool(notes),
        "inputs": {
            "has_headache": doc["baseline"].get("has_headache"),
            "classes_now": sorted(now),
            "classes_previous": sorted(prev_classes),
            "previous_time_point": previous["time_point"] if previous else None,
            "previous_status": previous["status"] if previous else None,
        },
    }
    return summary, notes, explain


# ---------------------------------------------------------------- R12: re-classification
FEATURE_STATES = ("cs_features_present", "cs_features_absent", "cs_features_unknown")


def _feature_state(summary: dict, fid: str) -> str:
    for key in FEATURE_STATES:
        if fid in summary[key]:
            return key.rsplit("_", 1)[1]
    return "unknown"  # pragma: no cover - the engine always places each feature


def reclassify(doc: dict, answers: dict, weeks: int, day: int) -> dict | None:
    """R12: at 12 weeks (and 26/52), if back pain persists, update the episode duration and re-run §3.3 and §5."""
    if weeks < THRESHOLDS["r12_from_weeks"]:
        return None
    base = doc["baseline"]
    if base.get("has_back_pain") != "yes":
        return {"applied": False, "reason": "no back pain at baseline", "badges": []}
    nprs = answers.get("nprs_back")
    if not nprs:
        return {"applied": False, "reason": "back pain no longer reported (nprs_back = 0)", "badges": []}
    old = doc["baseline_summary"]
    a = copy.deepcopy(base)
    a["back_pain_duration_weeks"] = min(5200, base["back_pain_duration_weeks"] + day // 7)
    inst = dict(a["instruments"])
    inst.update(copy.deepcopy(answers.get("instruments") or {}))
    inst["nprs_back"] = nprs
    a["instruments"] = inst
    new = evaluate_valid(a)
    compared = []
    for key in ("duration_category", "nih_chronic_lbp", "pattern"):
        compared.append((f"back_pain.{key}", old["back_pain"][key], new["back_pain"][key]))
    for fid in (f"F{i}" for i in range(1, 13)):
        compared.append((f"cs_features.{fid}", _feature_state(old, fid), _feature_state(new, fid)))
    compared.append(("cs_pattern", old["cs_pattern"], new["cs_pattern"]))
    changes = [{"field": f, "baseline": b, "now": n, "changed": b != n} for f, b, n in compared]
    return {
        "applied": True,
        "reason": None,
        "back_pain_duration_weeks": {
            "baseline": base["back_pain_duration_weeks"],
            "now": a["back_pain_duration_weeks"],
        },
        "back_pain": new["back_pain"],
        "cs_features_present": new["cs_features_present"],
        "cs_features_absent": new["cs_features_absent"],
        "cs_features_unknown": new["cs_features_unknown"],
        "cs_pattern": new["cs_pattern"],
        "changes": changes,
        "badges": [c["field"] for c in changes if c["changed"]],
    }


# ---------------------------------------------------------------- assembly
def _event_note(answers: dict) -> dict | None:
    facts = [
        f"{k}=yes"
        for k in ("new_event_injury", "new_event_procedure", "new_event_diagnosis")
        if answers.get(k) == "yes"
    ]
    return _note("NEW-EVENT", None, facts) if facts else None


def evaluate_followup(doc: dict) -> dict:
    """The follow-up summary of the latest answered check-in of a validated document (checkin_schema)."""
    index = max(i for i, c in enumerate(doc["checkins"]) if c["status"] == "answered")
    checkin = doc["checkins"][index]
    tp = cs.TIME_POINTS[checkin["time_point"]]
    answers = checkin["answers"]
    baseline, base_summary = doc["baseline"], doc["baseline_summary"]
    day = (checkin["answered_on"] - doc["baseline_date"]).days
    in_window = tp["from_day"] <= day <= tp["to_day"]

    flags, notes, precautions, explain = evaluate_rescreen(baseline, answers)
    seen = {f["id"] for f in base_summary["red_flags"]}
    for earlier in doc["checkins"][:index]:
        if earlier["status"] == "answered":
            seen |= {f["id"] for f in evaluate_rescreen(baseline, earlier["answers"])[0]}
    follow_inst = answers.get("instruments") or {}
    ctx = {
        "answers": answers,
        "base_inst": baseline["instruments"],
        "base_scores": base_summary["scores"],
        "base_summary": base_summary,
        "follow_inst": follow_inst,
        "follow_scores": score_instruments(follow_inst),
        "out_of_window": not in_window,
        "day": day,
        "weeks": tp["weeks"],
        "window_days": tp["window_days"],
    }
    changes = evaluate_changes(ctx)
    pgic = answers["pgic"]
    notes += _pgic_notes(pgic)
    if in_window:
        discordant = _discordance(pgic, changes)
        if discordant:
            notes.append(discordant)
    else:
        notes.append(_note("OUT-OF-WINDOW", None, [f"day={day}", f"window={tp['from_day']}-{tp['to_day']}"]))
    no_response, r10_explain = _no_response(checkin["time_point"], in_window, pgic, changes)
    if no_response:
        notes.append(no_response)
    medication, med_notes, r11_explain = _medication(doc, index, answers, tp["window_days"])
    notes += med_notes
    event = _event_note(answers)
    if event:
        notes.append(event)
    if (answers.get("free_text") or "").strip():
        notes.append(_note("FREE-TEXT", None, ["free_text"]))  # §6.1 item 10: never parsed for tiering
    if doc["rules_version"] != RULES_VERSION:
        notes.append(_note("BASELINE-RESCORED", None, [f"rules_version={doc['rules_version']}"]))
    notes.sort(key=_note_order)
    tier = overall_tier(flags, notes)
    reclass = reclassify(doc, answers, tp["weeks"], day)
    explain += [
        {
            "id": "R1",
            "ref": "§6.4 R1",
            "result": doc["rules_version"] == RULES_VERSION,
            "inputs": {"rules_version": doc["rules_version"], "engine_rules_version": RULES_VERSION},
        },
        {"id": "R7", "ref": "§6.4 R7", "result": pgic >= THRESHOLDS["pgic_routine"], "inputs": {"pgic": pgic}},
        {
            "id": "R9",
            "ref": "§6.4 R9",
            "result": any(n["id"] == "DISCORDANT-CHANGE" for n in notes),
            "inputs": {"pgic": pgic, "in_window": in_window},
        },
        r10_explain,
        r11_explain,
        {
            "id": "R12",
            "ref": "§6.4 R12",
            "result": bool(reclass and reclass["applied"]),
            "inputs": {"time_point": checkin["time_point"], "nprs_back": answers.get("nprs_back")},
        },
    ]
    return {
        "contract_version": CONTRACT_VERSION,
        "rules_version": RULES_VERSION,
        "baseline_rules_version": doc["rules_version"],
        "time_point": checkin["time_point"],
        "answered_on": checkin["answered_on"].isoformat(),
        "day": day,
        "window": {"target_day": tp["target_day"], "from_day": tp["from_day"], "to_day": tp["to_day"]},
        "in_window": in_window,
        "overall_tier": tier,
        "patient_screen": patient_screen(tier, flags),
        "red_flag_override": any(f["tier"] in ("URGENT", "EMERGENCY") for f in flags),
        "red_flags": flags,
        "new_red_flags": [f["id"] for f in flags if f["id"] not in seen],
        "notes": notes,
        "precautions": sorted(precautions),
        "pgic": {"value": pgic, "responder": pgic in THRESHOLDS["pgic_responder"]},
        "changes": changes,
        "not_trended": sorted(k for k in follow_inst if k in NOT_TRENDED),
        "medication": medication,
        "reclassification": reclass,
        "missed": [c["time_point"] for c in doc["checkins"] if c["status"] == "missed"],
        "free_text_present": bool((answers.get("free_text") or "").strip()),
        "explain": explain,
    }


def evaluate_checkins(raw) -> dict:
    """Validate and evaluate one follow-up document. Raises InvalidInput (with every error) on bad input."""
    doc, errors = cs.validate_document(raw, evaluate_valid)
    if errors:
        raise InvalidInput(errors)
    return evaluate_followup(doc)
