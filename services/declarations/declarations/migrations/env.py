from portalkit.migrations import run_env

from declarations.models import Base

run_env(Base.metadata)
