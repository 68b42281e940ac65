"""scaffold: start production-ready backend services."""
