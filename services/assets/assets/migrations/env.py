from portalkit.migrations import run_env

from assets.models import Base

run_env(Base.metadata)
