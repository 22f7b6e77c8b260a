"""Benchmark of a bulk upload of documents (issue: 1,000 PDFs of 1 MB): time to the report, and
memory flat.

In one process, as the service and its worker run them: the operators' route
``POST /operator/documents/imports`` (through the app's test client: the streamed multipart upload,
the ZIP and index checks) and then the worker's job (``document_imports.process_pending``: each
member read in chunks, checked as a PDF by pypdf, stored, recorded), on the embedded default
(SQLite, the folder file store). The process's RSS is sampled every 20 ms throughout; the ratio
compares the whole with copying the ZIP's bytes into the file store once (the disk's own cost).

    .venv/bin/python benchmarks/documents_bulk.py --documents 1000     # the issue's size
"""
from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import percentiles  # noqa: E402

MB = 1024 * 1024


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--size", type=int, default=MB, help="bytes of each PDF")
    return parser.parse_args(argv)


def rss() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


class Sampler(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.peak, self.stopping = rss(), threading.Event()

    def run(self):
        while not self.stopping.wait(0.02):
            self.peak = max(self.peak, rss())


def a_pdf(size: int) -> bytes:
    from pypdf import PdfWriter
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_attachment("scan.bin", os.urandom(max(size - 1200, 0)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def main(argv: list[str] | None = None) -> dict:
    args = parse(argv)
    work = Path(tempfile.mkdtemp(prefix="documents-bulk-bench-"))
    os.environ["PORTAL_VAR_DIR"] = str(work / "var")
    os.environ["PORTAL_FILESTORE_URL"] = f"file://{work / 'files'}"
    os.environ["PORTAL_ASSETS_DATABASE_URL"] = f"sqlite:///{work / 'assets.db'}"
    os.environ.setdefault("PORTAL_BROKER_URL", "filesystem://")
    from portalkit.db import Database
    from portalkit.filestore import default_store
    from portalkit.migrations import upgrade
    from portalkit.settings import identity_secret
    from portalkit.signed_identity import HEADER, Identity, sign

    from assets import document_imports
    from assets.app import create_app
    from assets.document_settings import DocumentSettings
    from assets.models import Company, Document

    url = os.environ["PORTAL_ASSETS_DATABASE_URL"]
    upgrade("assets", url=url)
    database = Database(url)
    with database.transaction() as session:
        for n in range(10):
            session.add(Company(id=f"c{n}", number=f"N{n}", name=f"Company {n}"))
    print(f"Writing a ZIP of {args.documents:,} PDFs of {args.size / MB:.1f} MB…", flush=True)
    document = a_pdf(args.size)
    archive_path = work / "documents.zip"
    with zipfile.ZipFile(archive_path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("index.csv", "".join(f"N{n % 10};invoice;F-{n};2026-11-20;{n}.50;EUR;doc-{n}.pdf\n"
                                              for n in range(args.documents)))
        for n in range(args.documents):
            archive.writestr(f"doc-{n}.pdf", document)
    zip_bytes = archive_path.stat().st_size

    store = default_store()
    started = time.perf_counter()
    with open(archive_path, "rb") as handle:
        baseline = store.put(iter(lambda: handle.read(256 * 1024), b""), prefix="baseline")
    copy_seconds = time.perf_counter() - started
    store.delete(baseline.key)

    client = create_app({"TESTING": True}).test_client()
    operator = {HEADER: sign(Identity(user_id="bench-operator", operator=True), identity_secret(), ttl=3600)}
    timings: list[float] = []
    take = document_imports._take

    def timed_take(*a, **kw):
        begun = time.perf_counter()
        take(*a, **kw)
        timings.append((time.perf_counter() - begun) * 1000)
    document_imports._take = timed_take

    before = rss()
    sampler = Sampler()
    sampler.start()
    started = time.perf_counter()
    with open(archive_path, "rb") as handle:
        answer = client.post("/operator/documents/imports", data={"file": (handle, "documents.zip")},
                             headers=operator, content_type="multipart/form-data")
    accepted = time.perf_counter() - started
    assert answer.status_code == 202, answer.get_data(as_text=True)
    job_id = answer.get_json()["id"]
    document_imports.process_pending(database, store, DocumentSettings.load())
    report = client.get(f"/operator/documents/imports/{job_id}", headers=operator).get_json()
    total = time.perf_counter() - started
    sampler.stopping.set()
    sampler.join()
    with database.sessions() as session:
        stored = session.query(Document).count()
    assert report["status"] == "done" and report["created"] == args.documents == stored, report
    per = percentiles(timings)
    result = {"documents": args.documents, "pdf_bytes": len(document), "zip_bytes": zip_bytes,
              "accepted_s": accepted, "report_s": total, "documents_per_s": args.documents / total,
              "per_document_ms": {k: per[k] for k in ("p50", "p95", "p99")},
              "copy_zip_into_store_s": copy_seconds, "ratio_to_one_copy": total / copy_seconds,
              "rss_before_mb": before / MB, "rss_peak_mb": sampler.peak / MB,
              "rss_growth_mb": (sampler.peak - before) / MB}
    print(f"  {args.documents:,} PDFs ({zip_bytes / MB:,.0f} MB ZIP): 202 in {accepted:.1f} s, "
          f"report in {total:.1f} s ({result['documents_per_s']:.0f} documents/s)")
    print(f"  per document: p50 {per['p50']:.1f} ms  p95 {per['p95']:.1f} ms  p99 {per['p99']:.1f} ms")
    print(f"  one copy of the ZIP into the store: {copy_seconds:.1f} s  →  ratio {result['ratio_to_one_copy']:.1f}×")
    print(f"  RSS: {before / MB:.0f} MB before, {sampler.peak / MB:.0f} MB at peak "
          f"(+{result['rss_growth_mb']:.0f} MB)", flush=True)
    import shutil
    shutil.rmtree(work, ignore_errors=True)
    return result


if __name__ == "__main__":
    main()
