"""Fast synthetic data for demos and benchmarks (`manage.py seed_demo --intakes N`).

A few hundred answer sets are made by varying the worked examples of intake/demo.py (ages, pain, durations,
questionnaires, one red-flag answer turned to "yes" or "not sure"); each is validated and evaluated once by the real
engine, and the rows are written with bulk_create. The rows are exactly what services.intake_submit writes (answers,
summary, rules_version, tier_rank, flags), so the dashboard cannot tell them apart. Fictional people only.
"""

from __future__ import annotations

import copy
import random
from datetime import date, timedelta

from django.db import models, transaction
from django.db.models import Value
from django.utils import timezone

from intake.demo import PEOPLE
from intake.models import TIER_RANK, Flag, Intake, Patient
from intake.triage import evaluate_valid, validate

from .models import IntakeReview
from .services import intake_refresh_unacknowledged

FIRST_NAMES = (
    "Ada", "Ben", "Chloe", "Dev", "Elena", "Farah", "Gabriel", "Hana", "Ivan", "Jade", "Kofi", "Lena", "Mateo",
    "Nina", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wei", "Ximena", "Yusuf", "Zoe",
)
LAST_NAMES = (
    "Adler", "Bianchi", "Costa", "Dubois", "Eriksen", "Fontaine", "Garcia", "Haddad", "Ivanova", "Jensen", "Kaur",
    "Lopez", "Meyer", "Nakamura", "Osei", "Petrov", "Quinlan", "Rossi", "Schmidt", "Tanaka", "Usman", "Varga",
    "Wagner", "Xu", "Yilmaz", "Zieliński",
)
# One red-flag answer turned to "yes" (or "not sure") gives the urgent and emergency tiers their realistic share.
BACK_FLIPS = ("ces_saddle_numbness", "fever_recent", "unexplained_weight_loss", "leg_weakness_new", "cancer_history",
              "night_pain_unrelenting", "thoracic_pain", "ivdu")
HEADACHE_FLIPS = ("new_headache", "progressive", "fever", "hemi_weakness_new", "valsalva_or_exertion_trigger",
                  "orthostatic", "immunosuppressed", "worse_lying_or_morning", "cancer_history")
# How often each tier appears among the seeded intakes (a busy practice: most intakes without urgent flags).
TIER_WEIGHTS = {"NONE": 30, "ROUTINE": 40, "URGENT_REFERRAL": 18, "SAME_DAY": 7, "ED_NOW": 5}
FAILED_SHARE = 0.001


def _vary(base: dict, rng: random.Random) -> dict:
    a = copy.deepcopy(base)
    inst = a.setdefault("instruments", {})
    onset = a.get("back_pain_onset_age")
    a["age"] = max(onset or 18, min(89, a["age"] + rng.randint(-12, 25)))
    if a.get("has_back_pain") == "yes":
        a["back_pain_duration_weeks"] = rng.choice((1, 2, 3, 6, 10, 14, 30, 60, 104))
        inst["nprs_back"] = rng.randint(2, 9)
        if "rmdq" in inst:
            yes = rng.randint(0, 20)
            inst["rmdq"] = [i < yes for i in range(24)]
        if rng.random() < 0.35:
            flip = rng.choice(BACK_FLIPS)
            if flip in a:
                a[flip] = "not_sure" if rng.random() < 0.3 and flip != "cancer_history" else "yes"
    if a.get("has_headache") == "yes":
        inst["nprs_head"] = rng.randint(3, 10)
        if rng.random() < 0.3:
            flip = rng.choice(HEADACHE_FLIPS)
            if flip in a:
                a[flip] = "yes"
    if "phq9" in inst and rng.random() < 0.5:
        inst["phq9"] = [rng.randint(0, 2) for _ in range(8)] + [1 if rng.random() < 0.05 else 0]
    return a


def answer_pool(size: int = 240, seed: int = 5) -> list[tuple[dict, dict]]:
    """(answers, summary) pairs: every worked example as given, then valid variations of them."""
    rng = random.Random(seed)
    bases = [answers for _first, _last, answers in PEOPLE]
    pool: list[tuple[dict, dict]] = []
    candidates = [copy.deepcopy(b) for b in bases]
    tries = 0
    while len(pool) < size and tries < size * 5:
        tries += 1
        answers = candidates.pop() if candidates else _vary(rng.choice(bases), rng)
        clean, errors = validate(answers)
        if not errors:
            pool.append((answers, evaluate_valid(clean)))
    return pool


def _weighted(pool: list[tuple[dict, dict]], rng: random.Random, n: int) -> list[tuple[dict, dict]]:
    by_tier: dict[str, list] = {}
    for pair in pool:
        by_tier.setdefault(pair[1]["overall_tier"], []).append(pair)
    tiers = [t for t in TIER_WEIGHTS if t in by_tier]
    weights = [TIER_WEIGHTS[t] for t in tiers]
    return [rng.choice(by_tier[t]) for t in rng.choices(tiers, weights, k=n)]


def _json(value) -> Value:
    # An expression makes Django bind rows one by one instead of as PostgreSQL arrays (UNNEST), whose client-side
    # quoting of large JSON texts is many times slower.
    return Value(value, output_field=models.JSONField())


def _date_of_birth(age: int, rng: random.Random, today: date) -> date:
    return today - timedelta(days=int(age * 365.25) + rng.randint(0, 364))


def bulk_seed(n: int, *, seed: int = 11, start_index: int = 0, batch_size: int = 500) -> dict[str, int]:
    """Create `n` patients with one submitted intake each; returns how many intakes per tier (and "failed")."""
    if n <= 0:
        return {}
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    chosen = _weighted(answer_pool(), rng, n)
    counts: dict[str, int] = {}
    with transaction.atomic():
        patients = []
        for i, (answers, _summary) in enumerate(chosen, start=start_index):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            patients.append(
                Patient(
                    first_name=first,
                    last_name=last,
                    date_of_birth=_date_of_birth(answers["age"], rng, today),
                    email=f"{first}.{last}.{i}@example.org".lower(),
                    created_at=now,
                )
            )
        Patient.objects.bulk_create(patients, batch_size=batch_size)
        intakes = []
        for patient, (answers, summary) in zip(patients, chosen, strict=True):
            submitted = now - timedelta(minutes=rng.randint(5, 180 * 24 * 60))
            failed = rng.random() < FAILED_SHARE
            tier = "" if failed else summary["overall_tier"]
            counts["failed" if failed else tier] = counts.get("failed" if failed else tier, 0) + 1
            intakes.append(
                Intake(
                    patient=patient,
                    answers=_json(answers),
                    summary=None if failed else _json(summary),
                    rules_version="" if failed else summary["rules_version"],
                    triage_status=Intake.TriageStatus.FAILED if failed else Intake.TriageStatus.OK,
                    triage_error="RuntimeError: seeded demo failure" if failed else "",
                    overall_tier=tier,
                    tier_rank=9 if failed else TIER_RANK[tier],
                    submitted_at=submitted,
                    privacy_accepted_at=submitted,
                    checkins_opt_in=rng.random() < 0.6,
                )
            )
        Intake.objects.bulk_create(intakes, batch_size=batch_size)
        summaries = {intake.pk: summary for intake, (_a, summary) in zip(intakes, chosen, strict=True)}
        flags, reviews = [], []
        for intake in intakes:
            # Most intakes older than two weeks have been handled: flags acknowledged, intake reviewed.
            handled = intake.submitted_at < now - timedelta(days=14) and rng.random() < 0.85
            for f in ([] if intake.triage_failed else summaries[intake.pk].get("red_flags", [])):
                flags.append(
                    Flag(
                        intake=intake, flag_id=f["id"], tier=f["tier"], action=f["action"],
                        triggered_by=_json(f["triggered_by"]),
                        acknowledged_at=intake.submitted_at + timedelta(hours=2) if handled else None,
                        acknowledgement_note="Seeded demo: discussed at the visit." if handled else "",
                    )
                )
            if handled and not intake.triage_failed:
                reviews.append(IntakeReview(intake=intake, reviewed_at=intake.submitted_at + timedelta(hours=3)))
        Flag.objects.bulk_create(flags, batch_size=batch_size * 4)
        IntakeReview.objects.bulk_create(reviews, batch_size=batch_size * 4)
        # bulk_create skips Intake.save: the worklist's stored order column is derived from the flags here.
        intake_refresh_unacknowledged(Intake.objects.filter(pk__in=[intake.pk for intake in intakes]))
    return counts
