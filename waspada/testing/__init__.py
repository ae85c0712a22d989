"""Shared test and demo helpers: named personas, a real SMTP server."""
