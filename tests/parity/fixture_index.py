"""Shared ending of the fixture scripts: write index.json (sorted keys, one space indent) and report the
size of the fixture folder against its budget."""
import json
import sys


def write_index(out, repo, index, budget_bytes):
    with open(out / "index.json", "w") as fh:
        json.dump(index, fh, indent=1, sort_keys=True)
        fh.write("\n")
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"{len(index['cases'])} cases, {size / 1e3:.0f} KB in {out.relative_to(repo)}")
    if size > budget_bytes:
        print(f"warning: fixtures exceed the {budget_bytes / 1e3:.0f} KB budget", file=sys.stderr)
