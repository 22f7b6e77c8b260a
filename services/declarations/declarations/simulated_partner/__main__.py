"""``python -m declarations.simulated_partner [--bind HOST:PORT]``: the simulated partner under
gunicorn, with the services' shared settings (deploy/gunicorn.conf.py), named edi-partner-simulation."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from portalkit.settings import env


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description="The SIMULATED EDI partner (never a real filing).")
    parser.add_argument("--bind", default=env("GUNICORN_BIND", "127.0.0.1:8108"))
    parser.add_argument("--config", default=env("PORTAL_GUNICORN_CONFIG", _config()))
    args = parser.parse_args(argv)
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    # The process name is also the log lines' component (portalkit.gunicorn_logging.component_of).
    os.execv(gunicorn, [gunicorn, "-c", args.config, "-b", args.bind, "-n", "edi-partner-simulation",
                        "declarations.simulated_partner.app:create_app()"])


def _config() -> str:
    # The repository's deploy/ (a source checkout, as in the mesh and the image's /app).
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "deploy" / "gunicorn.conf.py"
        if candidate.exists():
            return str(candidate)
    return "deploy/gunicorn.conf.py"


if __name__ == "__main__":
    main(sys.argv[1:])
