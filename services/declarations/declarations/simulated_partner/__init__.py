"""The simulated EDI partner (process ``edi-partner-simulation``): the partner's API on a local port,
the portal's syntax checks, then the administration's answer from a fixture of taxpayer records.
Every answer says SIMULATION (header, report field and detail); nothing here files anything."""
