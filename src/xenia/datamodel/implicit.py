"""The implicit messages of a class, derived from its fields as xapi derives them.

Every class gets ``get_record``, ``get_by_uuid`` and a getter per field; RW
fields get setters (and ``add_to_``/``remove_from_`` for maps, ``add_``/
``remove_`` for sets); classes with a constructor get ``create(record)`` and
``destroy``.  ``get_all_records_where``/``get_all_where`` are xapi's hidden
queries: served, but not part of the published datamodel.
"""

from __future__ import annotations

from dataclasses import dataclass

from xenia.datamodel.meta import ClassDef, Kind, Message, P, Qualifier, Role


@dataclass(frozen=True, slots=True)
class Implicit:
    """An implicit message and the generic operation that serves it."""

    message: Message
    op: str  # get_record, get_field, set_field, add_to_map, remove_from_map, add_to_set, ...
    field: str = ""
    hidden: bool = False


def implicit_messages(cls: ClassDef) -> list[Implicit]:
    if not cls.in_db or not cls.implicit:
        return []
    name = cls.name
    this = f"{name} ref"
    reader = Role.READ_ONLY
    cc = cls.client_cert
    out: list[Implicit] = []

    def add(msg: Message, op: str, field: str = "", hidden: bool = False) -> None:
        out.append(Implicit(msg, op, field, hidden))

    add(Message("get_record", (P(this, "self"),), f"{name} record", min_role=reader, client_cert=cc), "get_record")
    add(Message("get_by_uuid", (P("string", "uuid"),), this, min_role=reader, client_cert=cc), "get_by_uuid")
    if "name_label" in cls.by_name and cls.has_get_by_name_label:
        add(Message("get_by_name_label", (P("string", "label"),), f"{this} set", min_role=reader, client_cert=cc),
            "get_by_name_label")
    if cls.has_get_all:
        add(Message("get_all", (), f"{this} set", min_role=reader, client_cert=cc), "get_all")
        add(Message("get_all_records", (), f"({this} -> {name} record) map", min_role=reader, client_cert=cc),
            "get_all_records")
        add(Message("get_all_records_where", (P("string", "expr"),), f"({this} -> {name} record) map",
                    min_role=reader), "get_all_records_where", hidden=True)
        add(Message("get_all_where", (P("string", "expr"),), f"{this} set", min_role=reader),
            "get_all_where", hidden=True)
    if cls.has_constructor:
        add(Message("create", (P(f"{name} record", "args"),), this, min_role=cls.ctor_role), "create")
    if cls.has_destructor:
        add(Message("destroy", (P(this, "self"),), min_role=cls.ctor_role), "destroy")
    for f in cls.fields:
        if f.hidden:
            continue
        add(Message(f"get_{f.name}", (P(this, "self"),), f.type_text, min_role=reader, client_cert=cc),
            "get_field", f.name)
        if f.qualifier is not Qualifier.RW:
            continue
        role = f.write_role
        wcc = f.write_client_cert
        add(Message(f"set_{f.name}", (P(this, "self"), P(f.type_text, "value")), min_role=role, client_cert=wcc),
            "set_field", f.name)
        t = f.type
        if t.kind is Kind.MAP:
            add(Message(f"add_to_{f.name}", (P(this, "self"), P(str(t.key), "key"), P(str(t.elem), "value")),
                        min_role=role), "add_to_map", f.name)
            add(Message(f"remove_from_{f.name}", (P(this, "self"), P(str(t.key), "key")), min_role=role),
                "remove_from_map", f.name)
        elif t.kind is Kind.SET:
            add(Message(f"add_{f.name}", (P(this, "self"), P(str(t.elem), "value")), min_role=role),
                "add_to_set", f.name)
            add(Message(f"remove_{f.name}", (P(this, "self"), P(str(t.elem), "value")), min_role=role),
                "remove_from_set", f.name)
    return out
