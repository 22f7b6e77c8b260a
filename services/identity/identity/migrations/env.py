from portalkit.migrations import run_env

from identity.models import Base
import identity.declarant_models  # noqa: F401 - its tables are in Base.metadata too

run_env(Base.metadata)
