"""The C binding generator: libxenserver-compatible headers and sources from ``xenia.datamodel``."""
