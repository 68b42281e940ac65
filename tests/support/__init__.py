"""Helpers shared by the tool tests and the template tests."""
