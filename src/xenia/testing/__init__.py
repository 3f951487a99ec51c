"""Helpers for testing against a real xenia daemon (shipped so other projects can use them too)."""
