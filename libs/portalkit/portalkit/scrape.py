"""Metrics read when Prometheus scrapes a worker: its outbox's backlog, and the broker's queues.

Read at scrape, not kept up to date: one indexed query and one look at each queue every scrape.
What cannot be read (a database or broker that does not answer) is left out of that scrape,
never reported as zero; the broker-less bus knows no consumers, so it reports none.
"""
from __future__ import annotations

import logging
import os

from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import func, select

from . import broker, topology
from .db import Database, utcnow

log = logging.getLogger(__name__)

OUTBOX_BACKLOG = "portal_outbox_backlog"
OUTBOX_OLDEST_AGE = "portal_outbox_oldest_age_seconds"
QUEUE_MESSAGES = "portal_queue_messages"
QUEUE_CONSUMERS = "portal_queue_consumers"


def _backlog_families() -> tuple[GaugeMetricFamily, GaugeMetricFamily]:
    return (GaugeMetricFamily(OUTBOX_BACKLOG, "Outbox rows not yet published.", labels=["component"]),
            GaugeMetricFamily(OUTBOX_OLDEST_AGE, "Age of the oldest outbox row not yet published (0 when none).",
                              labels=["component"]))


def _queue_families() -> tuple[GaugeMetricFamily, GaugeMetricFamily]:
    return (GaugeMetricFamily(QUEUE_MESSAGES, "Messages ready in a queue of the topology (the broker's count).",
                              labels=["queue"]),
            GaugeMetricFamily(QUEUE_CONSUMERS, "Consumers of a queue of the topology (the broker's count).",
                              labels=["queue"]))


def described() -> list[GaugeMetricFamily]:
    return [*_backlog_families(), *_queue_families()]


class OutboxBacklog:
    """``portal_outbox_backlog`` and ``portal_outbox_oldest_age_seconds`` of one service's outbox."""

    def __init__(self, component: str, database: Database, model: type):
        self.component, self.database, self.model = component, database, model

    def describe(self):
        return list(_backlog_families())

    def collect(self):
        model = self.model
        try:
            with self.database.read_sessions() as session:
                count, oldest = session.execute(
                    select(func.count(), func.min(model.created_at)).where(model.published_at.is_(None))).one()
        except Exception:  # noqa: BLE001 - a scrape must not fail for the database
            log.warning("outbox backlog of %s not readable", self.component, exc_info=True)
            return
        backlog, age = _backlog_families()
        backlog.add_metric([self.component], count)
        age.add_metric([self.component], max(0.0, (utcnow() - oldest).total_seconds()) if oldest else 0.0)
        yield backlog
        yield age


class QueueDepths:
    """``portal_queue_messages`` and ``portal_queue_consumers`` of every queue of the topology.

    RabbitMQ answers a passive declaration with both counts (messages ready, not those delivered
    and unacked). The broker-less bus is a folder: its messages are counted, it has no consumers.
    """

    def __init__(self, settings):
        self.settings = settings

    def describe(self):
        return list(_queue_families())

    def collect(self):
        names = [queue.name for queue in topology.all_queues()]
        try:
            if broker.is_embedded(self.settings):
                counts = self._embedded(names)
            else:
                counts = self._amqp(names)
        except Exception:  # noqa: BLE001 - a scrape must not fail for the broker
            log.warning("queue depths not readable", exc_info=True)
            return
        messages, consumers = _queue_families()
        for name, (ready, consuming) in counts.items():
            messages.add_metric([name], ready)
            if consuming is not None:
                consumers.add_metric([name], consuming)
        yield messages
        if consumers.samples:
            yield consumers

    def _embedded(self, names: list[str]) -> dict[str, tuple[int, None]]:
        # A message is one file "<time>_<uuid>.<queue>.msg" in the folder (broker.py); one listing
        # counts them all. Those claimed by a consumer (in processing/) are not ready any more.
        folder = broker.connect(self.settings).transport_options["data_folder_in"]
        wanted = {f"{name}.msg": name for name in names}
        counts = dict.fromkeys(names, 0)
        with os.scandir(folder) as entries:
            for entry in entries:
                queue = wanted.get(entry.name.partition(".")[2])
                if queue is not None:
                    counts[queue] += 1
        return {name: (count, None) for name, count in counts.items()}

    def _amqp(self, names: list[str]) -> dict[str, tuple[int, int]]:
        counts = {}
        with broker.connect(self.settings) as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
            channel = connection.channel()
            try:
                for name in names:
                    try:
                        _, ready, consuming = channel.queue_declare(queue=name, passive=True)
                    except connection.channel_errors:
                        # Not declared (yet): the broker closed the channel; go on with another.
                        channel = connection.channel()
                        continue
                    counts[name] = (ready, consuming)
            finally:
                try:
                    channel.close()
                except connection.channel_errors + connection.connection_errors:
                    pass  # closed by the broker already
        return counts
