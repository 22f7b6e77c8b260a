from portalkit.migrations import run_env

from catalog.models import Base

run_env(Base.metadata)
