"""xapi's import/export HTTP handlers: raw VDI contents in and out (``/export_raw_vdi``, ``/import_raw_vdi``)."""
