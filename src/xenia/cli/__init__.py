"""The ``xenia`` command line."""
