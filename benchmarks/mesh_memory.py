"""Resident memory of the whole mesh, idle: every process the runner started, and their children."""
from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from common import embedded_env, running_mesh, save


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _group_members(groups: set[int]) -> list[int]:
    members = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.getpgid(int(entry)) in groups:
                    members.append(int(entry))
            except ProcessLookupError:
                pass
    return members


def main() -> dict:
    with tempfile.TemporaryDirectory() as folder:
        with running_mesh(Path(folder) / "var", 28000, embedded_env()) as mesh:
            time.sleep(10)  # let start-up work settle: the figure is for an idle mesh
            groups = {process.pid for process in mesh.processes.values()}
            pids = _group_members(groups)
            per_process = {}
            for name, process in mesh.processes.items():
                per_process[name] = sum(_rss_kib(pid) for pid in pids if os.getpgid(pid) == process.pid)
    total_mib = sum(per_process.values()) / 1024
    result = {"processes": len(pids), "total_rss_mib": round(total_mib, 1),
              "per_component_mib": {k: round(v / 1024, 1) for k, v in sorted(per_process.items())},
              "target_mib": 1250}
    save("mesh_memory", result)
    return result


if __name__ == "__main__":
    main()
