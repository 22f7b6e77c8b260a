"""A 1 GB update downloaded through the gateway, against reading the same file from disk, in one run.

An embedded mesh; an operator publishes a 1 GiB release (uploaded as a stream: the benchmark never
holds it in memory either); the demo administrator, whose company's contract covers the product,
downloads it with curl (a C client, so that the client is not what is measured) through the
gateway — service → file store → gateway → client, all streamed. The same file is read from disk
in 1 MiB blocks: once through the page cache (as the service itself reads it) and once with
O_DIRECT (the device itself). Each side runs ROUNDS times, alternating, and the best of each is
kept. From before the first download on, the resident memory of the gateway's and of assets' process groups (gunicorn
master and workers) is sampled every 20 ms: the growth is the peak during the downloads minus the
figure before the first one.

Targets: throughput ≥ 0.8 × the disk read; RSS growth ≤ 30 MB for the gateway and for assets.
"""
from __future__ import annotations

import hashlib
import http.client
import mmap
import os
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests

from common import embedded_env, running_mesh, save

SIZE = 1024 ** 3
BLOCK = 1024 * 1024
ROUNDS = 3
BOUNDARY = "portal-benchmark-boundary"


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def _group_rss_kib(group: int) -> int:
    total = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.getpgid(int(entry)) == group:
                    total += _rss_kib(int(entry))
            except (ProcessLookupError, PermissionError):
                pass
    return total


class MemoryWatch(threading.Thread):
    """Samples the resident memory of process groups until stopped; keeps each one's peak."""

    def __init__(self, groups: dict[str, int]):
        super().__init__(daemon=True)
        self.groups, self.peaks = groups, {name: 0 for name in groups}
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            for name, group in self.groups.items():
                self.peaks[name] = max(self.peaks[name], _group_rss_kib(group))
            time.sleep(0.02)


def _make_file(path: Path) -> str:
    """1 GiB of random-looking bytes (one random MiB, each copy varied by its index), and its SHA-256."""
    digest = hashlib.sha256()
    seed = os.urandom(BLOCK)
    with open(path, "wb") as handle:
        for index in range(SIZE // BLOCK):
            block = index.to_bytes(8, "big") + seed[8:]
            handle.write(block)
            digest.update(block)
    return digest.hexdigest()


class MultipartFile:
    """The upload's multipart body as a file object of known length, read from disk as it is sent."""

    def __init__(self, path: Path, fields: dict[str, str]):
        head = "".join(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
                       for name, value in fields.items())
        head += (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
                 "Content-Type: application/octet-stream\r\n\r\n")
        self.parts = [head.encode(), None, f"\r\n--{BOUNDARY}--\r\n".encode()]
        self.length = len(self.parts[0]) + path.stat().st_size + len(self.parts[2])
        self.file = open(path, "rb")
        self.index = 0

    def read(self, size: int = -1) -> bytes:
        while self.index < 3:
            if self.index == 1:
                chunk = self.file.read(size if size > 0 else BLOCK)
                if chunk:
                    return chunk
                self.index += 1
                continue
            part, self.index = self.parts[self.index], self.index + 1
            return part
        return b""


def _upload(base_url: str, token: str, path: Path, fields: dict) -> dict:
    body = MultipartFile(path, fields)
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=600, blocksize=BLOCK)
    connection.request("POST", "/api/operator/releases", body=body, headers={
        "Authorization": f"Bearer {token}", "Content-Length": str(body.length),
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})
    answer = connection.getresponse()
    data = answer.read()
    assert answer.status == 201, data
    import json
    return json.loads(data)


def _read_disk(path: Path, direct: bool) -> float:
    """Seconds to read the file in 1 MiB blocks (O_DIRECT: from the device, not the page cache)."""
    flags = os.O_RDONLY | (os.O_DIRECT if direct else 0)
    buffer = mmap.mmap(-1, BLOCK)  # page-aligned, as O_DIRECT requires
    fd = os.open(path, flags)
    try:
        started = time.perf_counter()
        total = 0
        while True:
            read = os.readv(fd, [buffer])
            if read <= 0:
                break
            total += read
        elapsed = time.perf_counter() - started
    finally:
        os.close(fd)
    assert total == SIZE
    return elapsed


def _download(url: str, token: str) -> float:
    started = time.perf_counter()
    out = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{size_download}",
                          "-H", f"Authorization: Bearer {token}", url], capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - started
    status, size = out.stdout.split()
    assert status == "200" and int(size) == SIZE, out.stdout
    return elapsed


def main() -> dict:
    from mesh import DEMO
    with tempfile.TemporaryDirectory() as folder:
        var = Path(folder) / "var"
        env = {**embedded_env(), "PORTAL_ASSETS_RELEASE_MAX_BYTES": str(SIZE + BLOCK),
               "PORTAL_UPSTREAM_READ_TIMEOUT": "600"}
        with running_mesh(var, 30500, env) as mesh:
            time.sleep(8)  # the demo data's events are handled: measure a settled mesh
            base = mesh.base_url

            def login(email, password):
                answer = requests.post(f"{base}/api/auth/login", json={"email": email, "password": password}, timeout=10)
                return answer.json()["token"]
            operator = login(*DEMO["operator"])
            administrator = login(*DEMO["administrator"])
            op = {"Authorization": f"Bearer {operator}"}
            admin = {"Authorization": f"Bearer {administrator}"}
            company = requests.get(f"{base}/api/identity/me", headers=admin, timeout=10).json()["company"]["id"]
            tag = uuid.uuid4().hex[:6]
            product = requests.post(f"{base}/api/operator/products", headers=op, timeout=10, json={
                "code": f"BENCH-{tag}", "name_en": "Benchmark", "name_fr": "Banc d'essai", "kind": "software",
                "brand": "Etafi", "domain": "Accounting", "serializable": False, "major_version": 1}).json()
            requests.post(f"{base}/api/operator/holdings", headers=op, timeout=10, json={
                "company_id": company, "product_id": product["id"], "quantity": 1}).raise_for_status()
            requests.post(f"{base}/api/operator/contracts", headers=op, timeout=10, json={
                "company_id": company, "starts_on": "2026-01-01"}).raise_for_status()
            offer = requests.get(f"{base}/api/catalog/services", headers=admin, timeout=10,
                                 params={"q": "Download updates", "per_page": 200}).json()["items"]
            service = next(s for s in offer if s["title"] == "Download updates")
            requests.post(f"{base}/api/catalog/subscriptions", headers=admin, timeout=10,
                          json={"service_id": service["id"]}).raise_for_status()

            path = Path(folder) / "update-1g.bin"
            sha256 = _make_file(path)
            started = time.perf_counter()
            release = _upload(base, operator, path, {"product_id": product["id"], "version": "1.0",
                                                     "channel": "stable", "released_on": "2026-11-20"})
            upload_seconds = time.perf_counter() - started
            assert release["sha256"] == sha256 and release["size"] == SIZE
            url = f"{base}/api/assets/releases/{release['id']}/file"

            groups = {"gateway": mesh.processes["gateway"].pid, "assets": mesh.processes["assets"].pid}
            # Before any download: the growth counted includes the first one's.
            before = {name: _group_rss_kib(group) for name, group in groups.items()}
            watch = MemoryWatch(groups)
            watch.start()
            _download(url, administrator)  # a first pass warms the page cache and the connections
            timings = {"gateway": [], "disk_cached": [], "disk_direct": []}
            for _ in range(ROUNDS):
                timings["gateway"].append(_download(url, administrator))
                timings["disk_cached"].append(_read_disk(path, direct=False))
                timings["disk_direct"].append(_read_disk(path, direct=True))
            watch.stopped.set()
            watch.join()
    mib_s = {side: round(SIZE / BLOCK / min(values), 1) for side, values in timings.items()}
    growth = {name: round((watch.peaks[name] - before[name]) / 1024, 1) for name in groups}
    result = {
        "size_bytes": SIZE, "rounds": ROUNDS,
        "upload_mib_s": round(SIZE / BLOCK / upload_seconds, 1),
        "gateway_mib_s": mib_s["gateway"], "disk_cached_mib_s": mib_s["disk_cached"],
        "disk_direct_mib_s": mib_s["disk_direct"],
        "ratio_to_disk_direct": round(mib_s["gateway"] / mib_s["disk_direct"], 3),
        "ratio_to_disk_cached": round(mib_s["gateway"] / mib_s["disk_cached"], 3),
        "rss_before_mib": {name: round(value / 1024, 1) for name, value in before.items()},
        "rss_growth_mib": growth,
        "targets": {"ratio": ">= 0.8", "rss_growth_mib": "<= 30 (each)"},
    }
    save("download", result)
    return result


if __name__ == "__main__":
    main()
