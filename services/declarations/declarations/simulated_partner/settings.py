"""The simulated partner's settings: its token, the administration's delay and its taxpayers fixture."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from portalkit.settings import env, env_float, var_dir

# The token of the embedded mesh and the tests: declarations' PORTAL_DECLARATIONS_PARTNER_TOKEN
# defaults to the same one there; a simulation's token guards nothing real.
from ..settings import SIMULATION_TOKEN as DEFAULT_TOKEN

FIXTURE = Path(__file__).parent / "taxpayers.json"


@dataclass(frozen=True)
class SimulationSettings:
    token: str
    delay: float        # seconds from a submission to the administration's report
    taxpayers: Path     # the fixture of taxpayer records
    database: Path      # its SQLite file: several processes and restarts agree

    @classmethod
    def load(cls) -> "SimulationSettings":
        return cls(token=env("PORTAL_EDI_SIMULATION_TOKEN", DEFAULT_TOKEN),
                   delay=env_float("PORTAL_EDI_SIMULATION_DELAY", 3.0),
                   taxpayers=Path(env("PORTAL_EDI_SIMULATION_TAXPAYERS", str(FIXTURE))),
                   database=var_dir() / "edi-partner-simulation.db")
