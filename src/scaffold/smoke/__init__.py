"""`scaffold smoke`: render every variant of the templates, then install, lint, test and
serve each one as its team would, and report.

The pieces are shared with scaffold's own test suite and benchmarks: `matrix` (which
variants), `project` (generate, install, run and serve one variant) and
`runner`/`junit` (the whole run and its report). The project's commands get
`scaffold.environment`'s environment, as `scaffold new`'s install does.
"""
