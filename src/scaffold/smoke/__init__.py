"""`scaffold smoke`: render every variant of the templates, then install, lint, test and
serve each one as its team would, and report.

The pieces are shared with scaffold's own test suite and benchmarks: `matrix` (which
variants), `environment` (what the project's commands get), `project` (generate,
install, run and serve one variant) and `runner`/`junit` (the whole run and its report).
"""
