"""Metrics: RRDs fed by one bulk driver read per tick, xapi's data-source API and HTTP handlers,
the cooked window query and the Prometheus exporter (``docs/metrics.md``)."""
