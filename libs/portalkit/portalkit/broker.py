"""Connections to the bus, chosen by URL: RabbitMQ (``amqp://``) or the broker-less embedded one.

``filesystem://`` is kombu's folder transport with three fixes. kombu creates an exchange's
binding table by truncating the file before locking it, so two processes declaring at once can
read it empty or wipe each other's bindings: here it is created without truncation and
rewritten under the lock. kombu writes a message file in
place, so a consumer polling the folder can read a half-written file and lose it: here a message
is written under a temporary name and moved in atomically. And kombu deletes a message as soon as
it is delivered, so a consumer killed before acking loses it: here delivery moves the file into
``processing/`` under the consumer's process id, the ack deletes it, a clean close puts it back,
and a consumer whose process died has its messages put back by the next one that starts.
"""
from __future__ import annotations

import os
import uuid
from queue import Empty
from pathlib import Path
from time import monotonic

from kombu import Connection
from kombu.transport import filesystem, virtual
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps, loads

from . import topology
from .settings import Settings, var_dir


PROCESS_TOKEN = f"{os.getpid()}.{uuid.uuid4().hex[:12]}"
CLAIM_PROPERTY = "x-portal-claim"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class AtomicFilesystemChannel(filesystem.Channel):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._recover_orphans()

    def get_table(self, exchange):
        file = self._exchange_file(exchange)
        try:
            with open(file, "rb") as handle:
                filesystem.lock(handle, filesystem.LOCK_SH)
                try:
                    raw = handle.read()
                finally:
                    filesystem.unlock(handle)
        except FileNotFoundError:
            return []
        return [filesystem.exchange_queue_t(*row) for row in loads(raw.decode())] if raw.strip() else []

    def _queue_bind(self, exchange, routing_key, pattern, queue):
        file = self._exchange_file(exchange)
        self.control_folder.mkdir(exist_ok=True)
        row = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        with os.fdopen(os.open(file, os.O_RDWR | os.O_CREAT, 0o644), "r+b") as handle:
            filesystem.lock(handle, filesystem.LOCK_EX)
            try:
                raw = handle.read()
                rows = [filesystem.exchange_queue_t(*r) for r in loads(raw.decode())] if raw.strip() else []
                if row not in rows:
                    rows.insert(0, row)
                    handle.seek(0)
                    handle.truncate()
                    handle.write(str_to_bytes(dumps(rows)))
                    handle.flush()
            finally:
                filesystem.unlock(handle)

    @property
    def processing_folder(self) -> Path:
        return Path(self.transport_options["processing_folder"])

    def _put(self, queue, payload, **kwargs):
        # Zero-padded so that the readers' name sort is the publication order.
        name = f"{int(monotonic() * 1000):015d}_{uuid.uuid4()}.{queue}.msg"
        staging = Path(self.transport_options["staging_folder"]) / name
        with open(staging, "wb") as handle:
            handle.write(str_to_bytes(dumps(payload)))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(staging, os.path.join(self.data_folder_out, name))

    def _get(self, queue):
        wanted = f"{queue}.msg"
        for name in sorted(os.listdir(self.data_folder_in)):
            if name.partition(".")[2] != wanted:
                continue
            claim = self.processing_folder / f"{PROCESS_TOKEN}-{name}"
            try:  # the rename is the claim: of two rival consumers only one succeeds
                os.rename(os.path.join(self.data_folder_in, name), claim)
            except FileNotFoundError:
                continue
            payload = loads(claim.read_text())
            payload.setdefault("properties", {})[CLAIM_PROPERTY] = str(claim)
            return payload
        raise Empty()

    def basic_ack(self, delivery_tag, multiple=False):
        message = self.qos._delivered.get(delivery_tag)
        super().basic_ack(delivery_tag, multiple)
        claim = message.properties.get(CLAIM_PROPERTY) if message is not None else None
        if claim:
            Path(claim).unlink(missing_ok=True)

    def _restore(self, message):
        # Back to its own queue only (kombu would re-route it to every queue bound to the key).
        claim = message.properties.get(CLAIM_PROPERTY)
        if claim and os.path.exists(claim):
            os.replace(claim, os.path.join(self.data_folder_in, Path(claim).name.partition("-")[2]))
        else:
            super()._restore(message)

    def _recover_orphans(self) -> None:
        for name in os.listdir(self.processing_folder):
            token, _, original = name.partition("-")
            pid = int(token.partition(".")[0] or 0)
            mine_before = pid == os.getpid() and token != PROCESS_TOKEN  # a reused process id
            if token != PROCESS_TOKEN and (mine_before or not _alive(pid)):
                try:
                    os.replace(self.processing_folder / name, os.path.join(self.data_folder_in, original))
                except FileNotFoundError:
                    pass  # another starting consumer recovered it first


class AtomicFilesystemTransport(filesystem.Transport):
    Channel = AtomicFilesystemChannel
    # kombu keeps one process-wide record of what was declared, and skips declaring it again:
    # keyed by bus folder instead, so that a second bus in the same process (tests) is declared.
    states: dict = {}

    def __init__(self, client, **kwargs):
        super().__init__(client, **kwargs)
        folder = client.transport_options.get("control_folder", "")
        self.state = self.states.setdefault(folder, virtual.BrokerState())


def embedded_folders(root: Path) -> dict:
    folders = {name: root / name for name in ("messages", "control", "staging", "processing")}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(folders["messages"]), "data_folder_out": str(folders["messages"]),
        "control_folder": str(folders["control"]), "staging_folder": str(folders["staging"]),
        "processing_folder": str(folders["processing"]),
    }


def connect(settings: Settings) -> Connection:
    """A kombu connection to the portal's bus (not yet connected)."""
    url = settings.broker_url
    if url.startswith("filesystem://"):
        path = url[len("filesystem://"):]
        root = Path(path) if path else var_dir() / "bus"
        options = embedded_folders(root)
        options["polling_interval"] = settings.bus_polling_interval
        return Connection("filesystem://localhost/", transport=AtomicFilesystemTransport,
                          transport_options=options)
    queue_type = "quorum" if settings.bus_quorum_queues else "classic"
    return Connection(url, connect_timeout=5,
                      transport_options={"confirm_publish": True, "max_retries": 3,
                                         topology.QUEUE_TYPE_OPTION: queue_type})


def is_embedded(settings: Settings) -> bool:
    return settings.broker_url.startswith("filesystem://")
