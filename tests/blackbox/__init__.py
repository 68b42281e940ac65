"""Black-box suite: one set of HTTP assertions run against every generated stack.

Each variant of `scaffold smoke`'s matrix (tests/support/projects.MATRIX) is generated,
`make install`-ed and started with `make start` exactly as a user would; the tests only
speak HTTP to it. Run it with `pytest -m blackbox`. Needs: Node 24
(`scripts/install-node`), Debian's chromium (`scripts/install-test-deps`), the machine's
PostgreSQL at 127.0.0.1:5432 (trust auth), and PostgreSQL's server binaries (initdb,
pg_ctl) for the private cluster that the database fault test stops and restarts.

A test that fails for one stack only is a bug in that stack's template, not in the test.
"""
