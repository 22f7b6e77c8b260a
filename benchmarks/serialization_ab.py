"""Serialization's benchmark, this tree against an older commit's code, in turns (A/B in one run).

On a loaded machine two runs minutes apart measure the load as much as the code: here the two
codes (this tree's ``libs/portalkit`` and ``services/assets``, and the same folders of ``--base``,
unpacked by ``git archive``) run ``serialization.py`` turn by turn, a few rounds each, and the
samples of each side are pooled; the ratio of their percentiles is the gain.

    .venv/bin/python benchmarks/serialization_ab.py --base 4615128 \\
        --url postgresql+psycopg://postgres@127.0.0.1:5432/portal_bench_serialization
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import percentiles  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CODE = ("libs/portalkit", "services/assets")


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the commit whose code is A (B is this tree)")
    parser.add_argument("--url", default=None, help="a database URL (default: SQLite in a scratch folder)")
    parser.add_argument("--turns", type=int, default=4, help="runs of each side, alternated")
    parser.add_argument("--rounds", type=int, default=10, help="rounds per run")
    return parser.parse_args(argv)


def _unpack(base: str, folder: str) -> str:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", base, *CODE], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", folder], input=archive.stdout, check=True)
    return os.pathsep.join(str(Path(folder) / path) for path in CODE)


def main(argv: list[str] | None = None) -> dict:
    args = parse(argv or [])
    folder = tempfile.mkdtemp(prefix="serialization-ab-")
    sides = {"A (base)": _unpack(args.base, folder), "B (this tree)": None}
    pooled = {side: {"new codes": [], "asked again": []} for side in sides}
    for turn in range(args.turns):
        for side, code in sides.items():
            samples = Path(folder) / "samples.json"
            env = dict(os.environ)
            if code:  # ahead of the virtual environment's editable installs of this tree
                env["PYTHONPATH"] = os.pathsep.join(filter(None, [code, env.get("PYTHONPATH")]))
            command = [sys.executable, str(ROOT / "benchmarks" / "serialization.py"), "--rounds", str(args.rounds),
                       "--samples", str(samples)] + (["--url", args.url] if args.url else [])
            subprocess.run(command, env=env, check=True, capture_output=True)
            for series, values in json.loads(samples.read_text()).items():
                pooled[side][series].extend(values)
            print(f"turn {turn + 1}/{args.turns}: {side} done", flush=True)
    report = {}
    for series in ("new codes", "asked again"):
        figures = {side: percentiles(pooled[side][series]) for side in sides}
        report[series] = figures
        (a, b) = (figures[side] for side in sides)
        for side, one in figures.items():
            print(f"{series:12} {side:14} n={one['n']:3}  p50 {one['p50']:.1f} ms  p95 {one['p95']:.1f} ms  "
                  f"p99 {one['p99']:.1f} ms")
        print(f"{series:12} A/B: p50 x{a['p50'] / b['p50']:.2f}  p95 x{a['p95'] / b['p95']:.2f}  "
              f"mean x{a['mean'] / b['mean']:.2f} faster", flush=True)
    return report


if __name__ == "__main__":
    main(sys.argv[1:])
