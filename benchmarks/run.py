"""Run the benchmarks (``make bench``) and print the figures the README quotes.

    python benchmarks/run.py [NAME ...]     (default: all of them, in this order)

gateway_overhead, event_latency, mesh_memory: the mesh (issue "the portal mesh runs end to end");
sign_in: sign-in throughput against raw argon2id; identity_users: the users list at 1,000,000
users and a 10,000-line import, on PostgreSQL; grant_latency: accept to access, over 200 grants;
catalog_listing: the catalog listing at 5,000,000 subscriptions, on PostgreSQL; metrics_cost: a
service endpoint's throughput and latency with and without the metrics hook; inventory_listing: Your
IT assets at 1,000,000 holdings in 100,000 companies, on PostgreSQL; download: a 1 GB update
through the gateway against reading it from disk, and the gateway's and assets' memory meanwhile;
serialization: a 500-holding selection's codes (p95, codes per second); documents_listing: the
documents list on PostgreSQL (filtered by kind and date); documents_bulk: a bulk upload of 1 MB PDFs,
time to the report and memory; planning_month: a user's month of the planning and their iCalendar
feed at 1,000,000 services, on PostgreSQL; news_list: a reader's news list at 100,000 items, on
SQLite and PostgreSQL, against its SQL straight on the engine; content_fanout: one news
item to N holders through notifications' worker (mails/s, time to the last mail, activation mails
meanwhile); support_lists: the support
request lists' three scopes and the operators' queue and weekly counts at 1,000,000 requests, on
PostgreSQL; support_opening: opening requests
through the gateway and the time to the requester's mail, on RabbitMQ; knowledge_search: the
knowledge base's search at 100,000 bilingual articles on SQLite and PostgreSQL (and the indexing);
declarations_deposit: 5 MiB deposits of the declarative portal in process (the parse's share, pydifact's tokenizer as the baseline), the sample, 1 MiB's checks;
declarations_supervision: the supervisor's table at 10,000 subsidiaries × 5 obligations on PostgreSQL (and that supervisor's deadlines).
"""
from __future__ import annotations

import argparse
import importlib
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

ALL = ("gateway_overhead", "event_latency", "mesh_memory", "sign_in", "identity_users", "grant_latency",
       "catalog_listing", "metrics_cost", "inventory_listing", "download", "serialization", "documents_listing",
       "documents_bulk", "planning_month", "news_list", "content_fanout", "support_lists", "support_opening",
       "knowledge_search", "declarations_deposit", "declarations_supervision")
# The ones whose main parses arguments: run here with their defaults.
TAKE_ARGUMENTS = ("identity_users", "catalog_listing", "inventory_listing", "serialization", "documents_listing",
                  "documents_bulk", "planning_month", "news_list", "content_fanout", "support_lists",
                  "support_opening", "knowledge_search", "declarations_deposit", "declarations_supervision")


def main(names: list[str]) -> None:
    if {"gateway_overhead", "sign_in", "metrics_cost"} & set(names) and shutil.which("wrk") is None:
        print("Installing wrk (Debian) for the HTTP benchmarks…", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=True, stdout=subprocess.DEVNULL)  # a new machine has no lists
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL)
    for name in names:
        print(f"== {name}", flush=True)
        module = importlib.import_module(name)
        module.main([]) if name in TAKE_ARGUMENTS else module.main()


def parse(argv: list[str]) -> list[str]:
    """The benchmarks named (all of them when none is): ``--help`` prints this, runs nothing."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="Benchmarks: " + ", ".join(ALL))
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help="benchmarks to run, in the order given (default: all of them, in the order below)")
    names = parser.parse_args(argv).names
    unknown = [name for name in names if name not in ALL]
    if unknown:  # (argparse's choices refuse an empty list of a nargs="*")
        parser.error(f"unknown benchmark {', '.join(unknown)}")
    return names or list(ALL)


if __name__ == "__main__":
    main(parse(sys.argv[1:]))
