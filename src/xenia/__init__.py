"""xenia: a virtualization toolstack serving the Xen management API (XenAPI)."""

__version__ = "0.1.0"
