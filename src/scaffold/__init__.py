"""scaffold: start production-ready backend services and keep them up to date."""

from importlib.metadata import version

__version__ = version("scaffold")
