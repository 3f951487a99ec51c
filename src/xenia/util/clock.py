"""Time as XenAPI writes it: ``YYYYMMDDTHH:MM:SSZ`` in UTC."""

from __future__ import annotations

import time


def xapi_time(seconds: float | None = None) -> str:
    return time.strftime("%Y%m%dT%H:%M:%SZ", time.gmtime(time.time() if seconds is None else seconds))


def parse_xapi_time(text: str) -> float:
    """Seconds since the epoch for a XenAPI datetime (``Z`` or no zone means UTC)."""
    import calendar

    return float(calendar.timegm(time.strptime(text.rstrip("Z")[:17], "%Y%m%dT%H:%M:%S")))
