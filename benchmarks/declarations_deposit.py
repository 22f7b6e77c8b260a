"""Deposits of the declarative portal, in process (declarations' Flask app, SQLite, the folder
store): the time of an accepted deposit of the issue's sample (repaired), and the checks' time per
MiB of interchange (pydifact reads character by character: it grows with the file).

    python benchmarks/declarations_deposit.py [deposits]     (default 100)
"""
from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "services/declarations/tests/data/sage_coala.ped"
SIREN = "732829320"


def repaired() -> bytes:
    return SAMPLE.read_bytes().replace(b"999999999:", SIREN.encode() + b":").replace(b"UNT+542+", b"UNT+97+")


def enlarged(good: bytes, size: int) -> bytes:
    """The sample with ``size`` bytes of MOA segments in its message (UNT counting them)."""
    body = b"MOA+ZZZ:1387'" * (size // 13)
    zone = b"IND++2050      2400000000ATMOA'"
    return good.replace(zone, zone + body, 1).replace(b"UNT+97+", b"UNT+%d+" % (97 + body.count(b"'")))


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    count = int(argv[0]) if argv else 100
    var = tempfile.mkdtemp(prefix="declarations-bench-")
    url = f"sqlite:///{var}/declarations.db"
    os.environ.update(PORTAL_VAR_DIR=var, PORTAL_DECLARATIONS_CAMPAIGNS="2024", PORTAL_DECLARATIONS_DATABASE_URL=url)
    from declarations import checks, edifact
    from declarations.app import create_app
    from declarations.handlers import HANDLERS
    from portalkit import testing
    from portalkit.db import Database
    from portalkit.migrations import upgrade
    upgrade("declarations", url=url)
    testing.handle(Database(url), HANDLERS, "CompanyRegistered",
                   {"company_id": "c", "number": "1", "name": "Bench", "siren": SIREN})
    client = create_app({"TESTING": True}).test_client()
    headers = testing.signed_headers(user_id="d", scope="declarative", entities=frozenset({"c"}))
    good, times = repaired(), []
    for index in range(count):
        data = good.replace(b"RFF+ACD:IS1", b"RFF+ACD:IS%d" % index)  # another file each time
        started = time.perf_counter()
        answer = client.post("/declarations/deposits", headers=headers, content_type="multipart/form-data",
                             data={"file": (io.BytesIO(data), "liasse.ped")})
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 201, answer.get_json()
    times.sort()
    print(f"accepted deposit of the sample ({len(good)} bytes), {count}: p50 {statistics.median(times):.1f} ms, "
          f"p95 {times[max(0, int(count * 0.95) - 1)]:.1f} ms")
    big = enlarged(good, 1024 * 1024)
    started = time.perf_counter()
    checks.check(edifact.read(big), {SIREN: "c"}, (2024,))
    print(f"checks of a {len(big) / 1024 / 1024:.1f} MiB interchange: {time.perf_counter() - started:.2f} s")
    print("load average:", " ".join(f"{value:.2f}" for value in os.getloadavg()))


if __name__ == "__main__":
    main()
