"""Deposits of the declarative portal, in process (declarations' Flask app, SQLite, the folder
store): a deposit and its checks of a 5 MiB interchange — p50/p95/p99, the share of it spent
parsing (timed inside the same runs), and the baseline: the same deposit parsed by pydifact's own
tokenizer (one character at a time), in the same run, for the ratio — then the issue's sample
(repaired) and the checks of 1 MiB, and the memory a parse holds per MiB.

    python benchmarks/declarations_deposit.py [--runs 10] [--baseline-runs 3] [--sample-runs 100]
"""
from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import percentiles, save  # noqa: E402

SAMPLE = Path(__file__).resolve().parent.parent / "services/declarations/tests/data/sage_coala.ped"
SIREN, MIB = "732829320", 1024 * 1024


def repaired() -> bytes:
    return SAMPLE.read_bytes().replace(b"999999999:", SIREN.encode() + b":").replace(b"UNT+542+", b"UNT+97+")


def enlarged(good: bytes, size: int) -> bytes:
    """The sample grown to about ``size`` bytes by MOA segments in its message (UNT counting them)."""
    body = b"MOA+ZZZ:1387'" * ((size - len(good)) // 13)
    zone = b"IND++2050      2400000000ATMOA'"
    return good.replace(zone, zone + body, 1).replace(b"UNT+97+", b"UNT+%d+" % (97 + body.count(b"'")))


def another(data: bytes, index: int) -> bytes:
    """Another file each time (its tax reference): a file is accepted once per entity."""
    return data.replace(b"RFF+ACD:IS1", b"RFF+ACD:IS%d" % index, 1)


class Timed:
    """edifact.read, its time recorded: the parse's share of each deposit."""

    def __init__(self, edifact):
        self.edifact, self.read, self.last = edifact, edifact.read, 0.0

    def __call__(self, data: bytes):
        started = time.perf_counter()
        try:
            return self.read(data)
        finally:
            self.last = (time.perf_counter() - started) * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10, help="deposits of 5 MiB (fast path)")
    parser.add_argument("--baseline-runs", type=int, default=3, help="deposits of 5 MiB read by pydifact's tokenizer")
    parser.add_argument("--sample-runs", type=int, default=100)
    parser.add_argument("--size", type=int, default=5 * MIB)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)

    var = tempfile.mkdtemp(prefix="declarations-bench-")
    url = f"sqlite:///{var}/declarations.db"
    os.environ.update(PORTAL_VAR_DIR=var, PORTAL_DECLARATIONS_CAMPAIGNS="2024", PORTAL_DECLARATIONS_DATABASE_URL=url)
    from declarations import checks, edifact, edifact_split
    from declarations.app import create_app
    from declarations.handlers import HANDLERS
    from portalkit import testing
    from portalkit.db import Database
    from portalkit.migrations import upgrade
    upgrade("declarations", url=url)
    testing.handle(Database(url), HANDLERS, "CompanyRegistered",
                   {"company_id": "c", "number": "1", "name": "Bench", "siren": SIREN})
    client = create_app({"TESTING": True}).test_client()
    timed = Timed(edifact)
    edifact.read = timed  # deposits.py calls edifact.read: the parse timed inside each deposit
    counter = iter(range(10**9))

    def deposit(data: bytes) -> tuple[float, float]:
        # A fresh signed identity per deposit: it lives 30 s, a baseline deposit takes ~10.
        headers = testing.signed_headers(user_id="d", scope="declarative", declarant_role="declarant",
                                         company_id="c")
        started = time.perf_counter()
        answer = client.post("/declarations/deposits", headers=headers, content_type="multipart/form-data",
                             data={"file": (io.BytesIO(another(data, next(counter))), "liasse.ped")})
        total = (time.perf_counter() - started) * 1000
        assert answer.status_code == 201, answer.get_json()
        return total, timed.last

    good = repaired()
    big = enlarged(good, args.size)
    deposit(big)  # warm-up (imports, the first SQLite pages)
    fast = [deposit(big) for _ in range(args.runs)]
    whole = edifact_split.parse
    edifact_split.parse = lambda text, kind=tuple: edifact_split._whole(text, kind)  # pydifact's tokenizer
    try:
        baseline = [deposit(big) for _ in range(args.baseline_runs)]
    finally:
        edifact_split.parse = whole
    sample = [deposit(good)[0] for _ in range(args.sample_runs)]

    one = enlarged(good, MIB)
    checking = []
    for _ in range(args.runs):
        started = time.perf_counter()
        checks.check(timed.read(one), {SIREN: "c"}, (2024,))
        checking.append((time.perf_counter() - started) * 1000)
    tracemalloc.start()
    interchange = timed.read(big)
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del interchange

    fast_total, baseline_total = percentiles([t for t, _ in fast]), percentiles([t for t, _ in baseline])
    result = {
        "size_bytes": len(big), "segments": len(timed.read(big).segments),
        "deposit_5mib_ms": fast_total,
        "parse_5mib_ms": percentiles([p for _, p in fast]),
        "parse_share": sum(p for _, p in fast) / sum(t for t, _ in fast),
        "baseline_deposit_5mib_ms": baseline_total,
        "baseline_parse_share": sum(p for _, p in baseline) / sum(t for t, _ in baseline),
        "ratio_p50": baseline_total["p50"] / fast_total["p50"],
        "sample_bytes": len(good), "sample_deposit_ms": percentiles(sample),
        "checks_1mib_ms": percentiles(checking),
        "parse_memory_mb_per_mib": {"held": held / 1e6 / (len(big) / MIB), "peak": peak / 1e6 / (len(big) / MIB)},
        "load_average": os.getloadavg(),
    }
    save("declarations_deposit", result)
    share = result["parse_share"] * 100
    print(f"5 MiB deposit p50/p95/p99 {fast_total['p50']:.0f}/{fast_total['p95']:.0f}/{fast_total['p99']:.0f} ms "
          f"(parse {share:.1f} %), pydifact's tokenizer {baseline_total['p50']:.0f}/{baseline_total['p95']:.0f} ms: "
          f"×{result['ratio_p50']:.1f}; sample {result['sample_deposit_ms']['p50']:.1f}/"
          f"{result['sample_deposit_ms']['p95']:.1f} ms; 1 MiB checks {result['checks_1mib_ms']['p50']:.0f}/"
          f"{result['checks_1mib_ms']['p95']:.0f} ms; parse memory {result['parse_memory_mb_per_mib']['peak']:.0f} MB "
          f"per MiB at peak")


if __name__ == "__main__":
    main()
