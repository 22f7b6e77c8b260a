"""Connections to the bus, chosen by URL: RabbitMQ (``amqp://``) or the broker-less embedded one.

``filesystem://`` is kombu's folder transport with one fix: kombu writes a message file in place,
so a consumer polling the folder can pick up a half-written file, fail to parse it and lose it.
Here a message is written under a temporary name outside the folder and moved in atomically.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path
from time import monotonic

from kombu import Connection
from kombu.transport import filesystem, virtual
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

from .settings import Settings, var_dir


class AtomicFilesystemChannel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        # Zero-padded so that the readers' name sort is the publication order.
        name = f"{int(monotonic() * 1000):015d}_{uuid.uuid4()}.{queue}.msg"
        staging = Path(self.transport_options["staging_folder"]) / name
        with open(staging, "wb") as handle:
            handle.write(str_to_bytes(dumps(payload)))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(staging, os.path.join(self.data_folder_out, name))


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
    folders = {name: root / name for name in ("messages", "control", "staging", "processed")}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(folders["messages"]), "data_folder_out": str(folders["messages"]),
        "control_folder": str(folders["control"]), "staging_folder": str(folders["staging"]),
        "processed_folder": str(folders["processed"]),
    }


def connect(settings: Settings) -> Connection:
    """A kombu connection to the portal's bus (not yet connected)."""
    url = settings.broker_url
    if url.startswith("filesystem://"):
        path = url[len("filesystem://"):]
        root = Path(path) if path else var_dir() / "bus"
        options = embedded_folders(root)
        options["polling_interval"] = settings.bus_polling_interval
        return Connection("filesystem://", transport=AtomicFilesystemTransport,
                          transport_options=options)
    return Connection(url, connect_timeout=5,
                      transport_options={"confirm_publish": True, "max_retries": 3})


def is_embedded(settings: Settings) -> bool:
    return settings.broker_url.startswith("filesystem://")
