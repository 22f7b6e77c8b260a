from portalkit.migrations import run_env

from knowledge.models import Base

run_env(Base.metadata)
