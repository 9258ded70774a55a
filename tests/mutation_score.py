"""Print the score of the last `make mutation` run per rule module, as a Markdown table for
README.md, then the mutants that survived. Reads mutmut's results in mutants/. A mutant that
timed out counts as killed, as mutmut counts it."""

import json
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code


def main() -> int:
    metas = sorted(Path("mutants").rglob("*.py.meta"))
    if not metas:
        print("No results in mutants/: run `make mutation` first.", file=sys.stderr)
        return 1
    survivors: list[str] = []
    totals: Counter[str] = Counter()
    print("| module | mutants | killed | survived | no tests | score |")
    print("|---|---|---|---|---|---|")
    for meta in metas:
        results = json.loads(meta.read_text())["exit_code_by_key"]
        if not results:
            continue
        counts = Counter(status_by_exit_code[code] for code in results.values())
        survivors += sorted(name for name, code in results.items() if code == 0)
        killed = counts["killed"] + counts["timeout"]
        module = str(meta.relative_to("mutants")).removesuffix(".meta")
        print(
            f"| {module} | {len(results)} | {killed} | {counts['survived']} "
            f"| {counts['no tests']} | {killed / len(results):.0%} |"
        )
        totals.update(counts)
        totals["all"] += len(results)
    killed = totals["killed"] + totals["timeout"]
    print(
        f"| all | {totals['all']} | {killed} | {totals['survived']} | {totals['no tests']} "
        f"| {killed / totals['all']:.0%} |"
    )
    unfinished = totals["all"] - killed - totals["survived"] - totals["no tests"]
    if unfinished:
        print(f"\n{unfinished} mutants were not checked or ended otherwise: see `mutmut results`.")
    print("\nSurvived:" if survivors else "\nNo mutant survived.")
    for name in survivors:
        print(f"  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
