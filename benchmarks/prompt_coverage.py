"""Whether any part of a composed prompt vanishes: prompts made of a task, a requirement
sentence of the reader inventory and directives no rule can check, joined eight ways
(`cadenza.bench.composed`); each part must come back checked or judged.

    python benchmarks/prompt_coverage.py [--split 0] [--set NAME] [--json]

NAME is one of dev (the default), fresh, blind, blind2 ... blind9.

No model. For the directives (a tone, an audience, a genre ...): judged, carried (its
words only in the label of a check that does not check them) or dropped. For the
inventory items: checked (a rule's expression decides the item's labelled answers as
labelled), judged, or dropped. `lost_share` is the share neither checked nor judged.
Side a crosses half of the joins with half of the directive families, side b the other
halves, the rest is mixed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

import anyio

from cadenza.bench.composed import SETS, Outcome, prompts, score, side, split, summary
from cadenza.providers.metered import Metered
from cadenza.providers.registry import resolve
from cadenza.requirements.extract import read_prompt_with_model
from cadenza.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--split", type=int, default=0, help="seed of the family split")
    parser.add_argument(
        "--set",
        default="dev",
        choices=sorted(SETS),
        help="dev; fresh and blind (later sets, each written before a change and measured "
        "once after it); blind2 ... blind9 (the newest)",
    )
    parser.add_argument(
        "--model",
        "-m",
        help="read each prompt as a solve does with this model (read_prompt_with_model): "
        "the rules, then the model on what they set aside",
    )
    parser.add_argument(
        "--no-items",
        action="store_true",
        help="with --model: do not ask the model to list requirements (the JSON call), "
        "only whether each set-aside part is an instruction",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.model:
        outcomes = anyio.run(_with_model, args.set, args.model, not args.no_items)
    else:
        outcomes = [o for p in prompts(args.set) for o in score(p)]
    (joins_a, joins_b), (fam_a, fam_b) = split(args.split)
    halves = {h: [o for o in outcomes if side(o.prompt, args.split) == h] for h in "ab"}
    halves["mixed"] = [o for o in outcomes if side(o.prompt, args.split) == "mixed"]
    lost = [o for o in outcomes if o.fate in ("carried", "dropped", "imposed")]
    report: dict[str, Any] = {
        "split": args.split,
        "set": args.set,
        "model": args.model,
        "model_lists_items": bool(args.model) and not args.no_items,
        "prompts": len({o.prompt.text for o in outcomes}),
        "all": summary(outcomes),
        "a": {"joins": sorted(joins_a), "families": sorted(fam_a), **summary(halves["a"])},
        "b": {"joins": sorted(joins_b), "families": sorted(fam_b), **summary(halves["b"])},
        "mixed": summary(halves["mixed"]),
        "lost": [
            {"prompt": o.prompt.text, "part": o.part.text, "fate": o.fate}
            for o in sorted(lost, key=lambda o: (o.prompt.join, o.part.text))
        ],
    }
    if args.json:
        print(json.dumps(report, indent=1))
        return
    print(f"{report['prompts']} prompts")
    for half in ("all", "a", "b", "mixed"):
        d, i = report[half]["directives"], report[half]["items"]
        print(
            f"{half:>5}: directives {d['n']} (judged {d['judged']}, carried {d['carried']}, "
            f"dropped {d['dropped']}); items {i['n']} (checked {i['checked']}, "
            f"judged {i['judged']}, dropped {i['dropped']})"
        )
        if "contexts" in report[half]:
            c = report[half]["contexts"]
            print(f"       contexts {c['n']} (imposed {c['imposed']}, set aside {c['aside']})")
    for row in report["lost"]:
        print(f"  {row['fate']:>7}: {row['part']!r} in {row['prompt']!r}")


async def _with_model(which: str, model_id: str, list_items: bool) -> list[Outcome]:
    model = Metered(resolve(model_id, Settings.load()))
    outcomes: list[Outcome] = []
    started = time.monotonic()
    for p in prompts(which):
        reading = await read_prompt_with_model(p.text, model=model, list_items=list_items)
        outcomes += score(p, reading.requirements)
    print(
        f"{model.calls} model calls, {time.monotonic() - started:.0f} s",
        file=sys.stderr,
        flush=True,
    )
    return outcomes


if __name__ == "__main__":
    main()
