"""Helpers for testing against a real xenia daemon and real guests (shipped so other projects can use them too)."""
