"""The one error type the CLI turns into a one-line message and exit code 2."""


class ScaffoldError(Exception):
    """A problem the user can fix: bad input, a missing tool, a failed step."""
