"""How much of a generated inventory of requirement sentences the rules read, and
whether what they read decides labelled answers correctly, on each half of the frame
families (`cadenza.bench.inventory`).

    python benchmarks/reader_inventory.py [--split 0] [--json]

No model. "read" is the share of sentences the rules read; "accuracy" the share of the
read sentences' labelled answers decided as labelled; "wrong_readings" the read
sentences that decide any answer wrongly (a false `satisfied` or a false failure).
What the rules do not read goes to the model compiler or the judge in a solve.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict

from cadenza.bench import (
    inventory_casual,
    inventory_forms,
    inventory_marks,
    inventory_nested,
    inventory_parts,
    inventory_style,
    inventory_units,
    inventory_values,
)
from cadenza.bench.inventory import items, score, split, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--split", type=int, default=0, help="seed of the family split")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    scored = [score(i) for i in items()]
    a, b = split(args.split)
    second_kinds = {*inventory_forms.KINDS, *inventory_marks.KINDS}
    second = [s for s in scored if s.item.family.split("/")[0] in second_kinds]
    third = [s for s in scored if s.item.family.split("/")[0] in inventory_style.KINDS]
    fourth = [s for s in scored if s.item.family.split("/")[0] in inventory_parts.KINDS]
    fifth = [s for s in scored if s.item.family.split("/")[0] in inventory_units.KINDS]
    sixth = [s for s in scored if s.item.family.split("/")[0] in inventory_nested.KINDS]
    seventh = [s for s in scored if s.item.family.split("/")[0] in inventory_casual.KINDS]
    eighth = [s for s in scored if s.item.family.split("/")[0] in inventory_values.KINDS]
    by_family: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for s in scored:
        by_family[s.item.family][0] += s.read
        by_family[s.item.family][1] += 1
    report = {
        "split": args.split,
        "all": summary(scored),
        "a": {"families": sorted(a), **summary([s for s in scored if s.item.family in a])},
        "b": {"families": sorted(b), **summary([s for s in scored if s.item.family in b])},
        # the second wave's kinds (inventory_forms, inventory_marks) and the third's
        # (inventory_style), the fourth's (inventory_parts), the fifth's
        # (inventory_units), the sixth's (inventory_nested), the seventh's
        # (inventory_casual) and the eighth's (inventory_values), each half
        "second_a": summary([s for s in second if s.item.family in a]),
        "second_b": summary([s for s in second if s.item.family in b]),
        "third_a": summary([s for s in third if s.item.family in a]),
        "third_b": summary([s for s in third if s.item.family in b]),
        "fourth_a": summary([s for s in fourth if s.item.family in a]),
        "fourth_b": summary([s for s in fourth if s.item.family in b]),
        "fifth_a": summary([s for s in fifth if s.item.family in a]),
        "fifth_b": summary([s for s in fifth if s.item.family in b]),
        "sixth_a": summary([s for s in sixth if s.item.family in a]),
        "sixth_b": summary([s for s in sixth if s.item.family in b]),
        "seventh_a": summary([s for s in seventh if s.item.family in a]),
        "seventh_b": summary([s for s in seventh if s.item.family in b]),
        "eighth_a": summary([s for s in eighth if s.item.family in a]),
        "eighth_b": summary([s for s in eighth if s.item.family in b]),
        "unread": sorted(s.item.sentence for s in scored if not s.read),
        "read_by_family": {f: f"{r}/{n}" for f, (r, n) in sorted(by_family.items())},
    }
    if args.json:
        print(json.dumps(report, indent=1))
        return
    for half in (
        "all",
        "a",
        "b",
        "second_a",
        "second_b",
        "third_a",
        "third_b",
        "fourth_a",
        "fourth_b",
        "fifth_a",
        "fifth_b",
        "sixth_a",
        "sixth_b",
        "seventh_a",
        "seventh_b",
        "eighth_a",
        "eighth_b",
    ):
        h = report[half]
        print(
            f"{half:>9}: {h['read']}/{h['items']} read ({h['read_share']:.1%}), "
            f"accuracy {h['accuracy']:.1%}, {h['wrong_readings']} wrong readings"
        )
    for sentence in report["unread"]:
        print("  unread:", sentence)


if __name__ == "__main__":
    main()
