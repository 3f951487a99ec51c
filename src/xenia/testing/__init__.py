"""Test harness shipped in the package (aiohttp-style): helpers other projects can test with."""
