"""Prints intakes evaluated per second on one core over a realistic mixed set (issue #3 target: >= 5,000/s).

The set: the five worked examples plus variants of them (red-flag answers flipped, scores and durations moved), so
the mix has no-flag, routine, urgent and emergency cases, with and without headache, back pain and questionnaires.
Each input goes through the whole public path: validation and evaluation (`intake.triage.evaluate`).

    .venv/bin/python bench/engine.py [--seconds 5]
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from intake.triage import evaluate  # noqa: E402
from intake.triage.schema import RF_FIELDS  # noqa: E402


def mixed_inputs(n: int = 400, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    examples = [json.loads(p.read_text())["input"] for p in sorted((ROOT / "tests/engine/examples").glob("*.json"))]
    inputs = []
    while len(inputs) < n:
        a = copy.deepcopy(rng.choice(examples))
        rf = [
            k
            for k in RF_FIELDS
            if a.get(k) == "no"
            and k not in ("major_trauma", "pregnant", "head_neck_trauma", "dural_puncture_procedure", "aura_first_ever")
            and not k.endswith("_new")
            and k not in ("ptosis", "pulsatile_tinnitus")
        ]
        for key in rng.sample(rf, k=min(len(rf), rng.choice([0, 0, 1, 2]))):
            a[key] = rng.choice(["yes", "not_sure"])
        if "back_pain_duration_weeks" in a:
            a["back_pain_duration_weeks"] = rng.randint(0, 200)
        try:
            evaluate(a)
        except Exception:  # noqa: BLE001 - a variant that broke a consistency rule is simply not used
            continue
        inputs.append(a)
    return inputs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    inputs = mixed_inputs()
    tiers: dict[str, int] = {}
    for a in inputs:
        tier = evaluate(a)["overall_tier"]
        tiers[tier] = tiers.get(tier, 0) + 1
    # The engine is single-threaded; CPU time of this process is the one-core cost even when the machine is busy.
    rates, wall_rates = [], []
    deadline = time.perf_counter() + args.seconds
    while time.perf_counter() < deadline:
        start, wall = time.process_time(), time.perf_counter()
        for a in inputs:
            evaluate(a)
        rates.append(len(inputs) / (time.process_time() - start))
        wall_rates.append(len(inputs) / (time.perf_counter() - wall))
    print(f"inputs in the mix: {len(inputs)}; overall tiers: {dict(sorted(tiers.items()))}")
    print(
        f"rounds: {len(rates)}; median {statistics.median(rates):,.0f} intakes/s per core (CPU time); "
        f"best {max(rates):,.0f}; wall-clock median {statistics.median(wall_rates):,.0f}/s "
        "(validation + evaluation, one thread)"
    )


if __name__ == "__main__":
    main()
