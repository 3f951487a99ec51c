"""role: which permissions each of xapi's six roles holds, by name.

Permissions are the lowercased wire names of the messages (what RBAC_PERMISSION_DENIED
reports); a role holds every message whose least role it reaches, since xapi's roles are
totally ordered.  xapi also keeps each permission as a role object of its own (a role
without subroles); xenia keeps only the six roles as objects, so the two messages that
speak of permissions by reference (``get_permissions``, ``get_by_permission``) are not
served -- the ``*_name_label`` forms carry the same facts.
"""

from __future__ import annotations

import functools

from xenia.api.context import Call
from xenia.api.methods import handler
from xenia.datamodel.meta import Role


@functools.cache
def _permissions() -> dict[str, Role | None]:
    """Every permission with its least role (None: the local superuser only)."""
    from xenia.api.methods import build_table

    return {m.permission: (None if m.message.root_only else m.min_role)
            for m in build_table().values() if not m.wire.startswith("xenia.")}  # fmt: skip


def _role_of(call: Call, ref: str) -> Role | None:
    label = call.db.get("role", ref)["name_label"]
    try:
        return Role.from_wire(label)
    except KeyError:
        return None


@handler("role.get_permissions_name_label")
def get_permissions_name_label(call: Call, self: str) -> list[str]:
    role = _role_of(call, self)
    if role is None:
        return []
    return sorted(p for p, least in _permissions().items() if least is not None and role >= least)


@handler("role.get_by_permission_name_label")
def get_by_permission_name_label(call: Call, label: str) -> list[str]:
    least = _permissions().get(label.lower())
    if least is None:
        return []
    return [ref for ref in call.db.refs("role") if (role := _role_of(call, ref)) is not None and role >= least]
