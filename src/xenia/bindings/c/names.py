"""C spelling of XenAPI names and types, as xapi's C SDK spells them.

xapi's generator (``ocaml/sdk-gen/c``) lower-cases class names (``xen_vm``, ``xen_vm_record``),
names a map after its key and value (``xen_string_string_map``, ``xen_string_vm_operations_map``),
gives references in records the ``record_opt`` form and references elsewhere the bare handle,
and renames C keywords (``class`` becomes ``XEN_CLAZZ``).  A program written for libxenserver
compiles against xenia's headers only if every one of these spellings matches, so they are kept
here, in one place, next to the descriptor names the runtime uses.
"""

from __future__ import annotations

from xenia.datamodel.meta import Kind, Type

_KEYWORDS = {"class": "XEN_CLAZZ", "public": "pubblic"}


def ident(name: str) -> str:
    """A field or parameter name as a C identifier."""
    low = name.lower()
    return _KEYWORDS.get(low, low)


def typename(cls: str) -> str:
    return f"xen_{cls.lower()}"


def record_typename(cls: str) -> str:
    return f"{typename(cls)}_record"


def record_opt_typename(cls: str) -> str:
    return f"{typename(cls)}_record_opt"


def name_of(t: Type) -> str:
    """xapi's ``name_of_ty``: the part of a map's name one side contributes."""
    match t.kind:
        case Kind.STRING:
            return "string"
        case Kind.INT:
            return "int"
        case Kind.FLOAT:
            return "float"
        case Kind.BOOL:
            return "bool"
        case Kind.DATETIME:
            return "datetime"
        case Kind.ENUM | Kind.REF:
            return t.name
        case Kind.SET:
            assert t.elem is not None
            return f"{name_of(t.elem)}_set"
        case Kind.MAP:
            assert t.key is not None and t.elem is not None
            return f"{name_of(t.key)}_{name_of(t.elem)}_map"
        case Kind.RECORD:
            return record_typename(t.name)
    raise ValueError(f"no C name for {t}")


def map_name(t: Type) -> str:
    """``xen_string_string_map`` for ``(string -> string) map``."""
    assert t.key is not None and t.elem is not None
    return typename(f"{name_of(t.key)}_{name_of(t.elem)}_map")


def c_type(t: Type, in_record: bool) -> str:
    """The C type of a value, with the trailing space or star xapi's headers print."""
    match t.kind:
        case Kind.STRING:
            return "char *"
        case Kind.INT:
            return "int64_t "
        case Kind.FLOAT:
            return "double "
        case Kind.BOOL:
            return "bool "
        case Kind.DATETIME:
            return "time_t "
        case Kind.REF:
            if t.name == "session":
                return "xen_session *"
            return f"struct {record_opt_typename(t.name)} *" if in_record else f"{typename(t.name)} "
        case Kind.ENUM:
            return f"enum {typename(t.name)} "
        case Kind.SET:
            return f"struct {set_typename(t, in_record)} *"
        case Kind.MAP:
            return f"{map_name(t)} *"
        case Kind.RECORD:
            return f"struct {record_typename(t.name)} *" if in_record else f"{record_typename(t.name)} *"
    raise ValueError(f"no C type for {t}")


def set_typename(t: Type, in_record: bool) -> str:
    """The struct name of a set: ``xen_vm_set``, ``xen_vbd_record_opt_set``, ``xen_string_set``."""
    elem = t.elem
    assert elem is not None
    match elem.kind:
        case Kind.REF:
            return f"{record_opt_typename(elem.name)}_set" if in_record else f"{typename(elem.name)}_set"
        case Kind.ENUM:
            return f"{typename(elem.name)}_set"
        case Kind.RECORD:
            return f"{record_typename(elem.name)}_set"
        case Kind.STRING:
            return "xen_string_set"
        case Kind.INT:
            return "xen_int_set"
        case Kind.SET if elem.elem is not None and elem.elem.kind is Kind.STRING:
            return "xen_string_set_set"
    raise ValueError(f"no C set type for {t}")


def elem_c_type(t: Type) -> str:
    """The C type of one element of a set outside records (what a caller-owned buffer holds)."""
    assert t.elem is not None
    return c_type(t.elem, in_record=False)


def descriptor(t: Type, in_record: bool) -> str:
    """The name of the runtime's type descriptor for ``t`` (xen_type_ in xen_internal.h)."""
    match t.kind:
        case Kind.STRING | Kind.INT | Kind.FLOAT | Kind.BOOL | Kind.DATETIME:
            return f"xen_type_{t.kind.value}_"
        case Kind.REF:
            return f"xen_type_{t.name.lower()}_opt_" if in_record and t.name != "session" else "xen_type_string_"
        case Kind.ENUM:
            return f"xen_type_enum_{t.name}_"
        case Kind.RECORD:
            return f"xen_type_{record_typename(t.name)}_"
        case Kind.SET:
            return f"xen_type_{set_typename(t, in_record)}_"
        case Kind.MAP:
            return f"xen_type_{map_name(t)}_"
    raise ValueError(f"no descriptor for {t}")


def free_call(t: Type, expr: str, in_record: bool) -> str:
    """The statement freeing a value of type ``t`` held in ``expr``; "" when nothing is owned."""
    match t.kind:
        case Kind.STRING:
            return f"free({expr});"
        case Kind.INT | Kind.FLOAT | Kind.BOOL | Kind.DATETIME | Kind.ENUM:
            return ""
        case Kind.REF:
            if t.name == "session":
                return ""
            return f"{record_opt_typename(t.name)}_free({expr});" if in_record else f"{typename(t.name)}_free({expr});"
        case Kind.SET:
            return f"{set_typename(t, in_record)}_free({expr});"
        case Kind.MAP:
            return f"{map_name(t)}_free({expr});"
        case Kind.RECORD:
            return f"{record_typename(t.name)}_free({expr});"
    raise ValueError(f"cannot free {t}")


def enum_const(enum: str, value: str) -> str:
    """``XEN_VM_POWER_STATE_RUNNING``; dashes become underscores as in xapi's headers."""
    return f"XEN_{enum.upper()}_{value.upper().replace('-', '_')}"
