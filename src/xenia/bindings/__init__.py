"""Generators that turn the datamodel into bindings for other languages and into documentation.

Each walks the datamodel through :mod:`xenia.datamodel.walk`, so every binding
describes the same API that dispatch serves.
"""
