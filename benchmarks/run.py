"""Run every benchmark of the mesh (``make bench``) and print the figures the README quotes.

    python benchmarks/run.py [gateway_overhead] [event_latency] [mesh_memory]
"""
from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

ALL = ("gateway_overhead", "event_latency", "mesh_memory")


def main(names: list[str]) -> None:
    if "gateway_overhead" in names and shutil.which("wrk") is None:
        print("Installing wrk (Debian) for the HTTP benchmark…", flush=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL)
    for name in names:
        print(f"== {name}", flush=True)
        importlib.import_module(name).main()


if __name__ == "__main__":
    main(sys.argv[1:] or list(ALL))
