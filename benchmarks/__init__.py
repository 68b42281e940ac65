"""Serving-cost benchmarks of the generated services (benchmarks/README.md).

`python -m benchmarks.run` from the repository root. The variants come from scaffold
smoke's matrix and are generated, installed and served with the same code as the test
suite (tests.support.projects, scaffold.smoke.project). The modules, by job: `matrix`
(what is measured, and how long), `apps` (the services and the bare apps next to them),
`database` (a new SQLite file or throw-away PostgreSQL database, and the PostgreSQL
server's usage), `server` (a started app's processes, read from /proc), `load` (wrk),
`generation` (timing `scaffold new`), `results` (the figures, their ratios, targets and
floors), `report` (the tables) and `run` (the command line).
"""
