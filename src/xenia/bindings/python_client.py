"""Generate the typed Python client (``xenia/client/typed.py``) from the datamodel.

What it emits, per class: a ``NewType`` for its references (so a VDI ref passed
where a VM ref is expected is a type error), a ``TypedDict`` for its record,
``Literal`` aliases for the enums it uses, and facades whose methods carry the
parameter and result types of every message: sync (over
:class:`xenia.client.Session`), asyncio (over :class:`xenia.client.AsyncSession`),
and the ``Async.*`` forms, which return a typed task handle.  Calls go through
the sessions' ``call_with_session``, the same sans-I/O core as the untyped proxy.

The output is committed, so editors and type checkers see it without a build
step, and ``tests/unit/test_generated.py`` fails when it is stale:
``make generate`` writes it again.
"""

from __future__ import annotations

import keyword
from collections.abc import Iterator

from xenia.datamodel import MODEL, Model
from xenia.datamodel.meta import EVENT_BATCH, ClassDef, Kind, Message, Param, Type
from xenia.datamodel.walk import ApiCall, calls, classes, nested

HEADER = '''"""Typed XenAPI client, generated from xenia's datamodel by ``xenia.bindings.python_client``.

Do not edit: ``make generate`` writes it again.  Use it as::

    from xenia.client import connect
    from xenia.client.typed import TypedClient

    api = TypedClient(connect())
    for vm in api.VM.get_all():
        record = api.VM.get_record(vm)      # a VMRecord: record["power_state"] is a VmPowerState
    task = api.Async.VM.clone(vm, "copy")   # a Task[VMRef]
    clone = task.wait()
"""

# fmt: off
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Generic, Literal, NewType, TypedDict, TypeVar, cast

from xenia.client.tasks import EventBatch

if TYPE_CHECKING:
    from xenia.client.aio import AsyncSession
    from xenia.client.sync import ProgressCallback, Session

T = TypeVar("T")
Caller = Callable[..., Any]
AsyncCaller = Callable[..., Awaitable[Any]]


class Task(Generic[T]):
    """A task started by an ``Async.*`` call; :meth:`wait` blocks until it ends and gives its typed result."""

    __slots__ = ("ref", "_session")

    def __init__(self, session: Session, ref: str) -> None:
        self.ref = TaskRef(ref)
        self._session = session

    def wait(self, on_progress: ProgressCallback | None = None) -> T:
        return cast(T, self._session.task_result(self.ref, on_progress))


class AsyncTask(Generic[T]):
    """The asyncio twin of :class:`Task`."""

    __slots__ = ("ref", "_session")

    def __init__(self, session: AsyncSession, ref: str) -> None:
        self.ref = TaskRef(ref)
        self._session = session

    async def wait(self, on_progress: ProgressCallback | None = None) -> T:
        return cast(T, await self._session.task_result(self.ref, on_progress))

'''


def identifier(name: str) -> str:
    """A Python name for a XenAPI name: keywords and ``self`` get a trailing underscore."""
    return f"{name}_" if keyword.iskeyword(name) or name in ("self", "cls") else name


def ref_type(cls_name: str) -> str:
    return f"{_camel(cls_name)}Ref"


def record_type(cls_name: str) -> str:
    return f"{_camel(cls_name)}Record"


def enum_type(enum_name: str) -> str:
    return "".join(part.capitalize() for part in enum_name.split("_"))


def _camel(cls_name: str) -> str:
    """``VM`` -> ``VM``, ``VM_metrics`` -> ``VMMetrics``, ``host_cpu`` -> ``HostCpu``."""
    parts = cls_name.split("_")
    return "".join(p if p.isupper() else p[:1].upper() + p[1:] for p in parts)


def py_type(t: Type, model: Model) -> str:
    """The Python annotation of a XenAPI type."""
    match t.kind:
        case Kind.STRING | Kind.DATETIME:
            return "str"
        case Kind.INT:
            return "int"
        case Kind.FLOAT:
            return "float"
        case Kind.BOOL:
            return "bool"
        case Kind.VOID:
            return "None"
        case Kind.ENUM:
            return enum_type(t.name)
        case Kind.REF:
            return ref_type(t.name) if t.name in model.classes else "str"
        case Kind.RECORD:
            if t.name == EVENT_BATCH:
                return "EventBatch"
            return record_type(t.name) if t.name in model.classes else "dict[str, Any]"
        case Kind.SET:
            assert t.elem is not None
            return f"list[{py_type(t.elem, model)}]"
        case Kind.MAP:
            assert t.key is not None and t.elem is not None
            return f"dict[{py_type(t.key, model)}, {py_type(t.elem, model)}]"
    raise AssertionError(t)


def _used_enums(model: Model) -> list[str]:
    names: set[str] = set()
    for cls in classes(model):
        types = [f.type for f in cls.fields]
        for call in calls(cls):
            types += [p.type for p in call.message.params] + [call.message.result_type]
        for t in types:
            names.update(n.name for n in nested(t) if n.kind is Kind.ENUM)
    return sorted(names)


def _signature(params: tuple[Param, ...], model: Model) -> str:
    out = []
    for p in params:
        default = f" = {p.default!r}" if p.has_default else ""
        out.append(f"{identifier(p.name)}: {py_type(p.type, model)}{default}")
    return ", ".join(["self", *out])


def _args(params: tuple[Param, ...]) -> str:
    return "".join(f", {identifier(p.name)}" for p in params)


def _param_type(call: ApiCall, p: Param, model: Model) -> Param:
    """``create`` takes the constructor's fields, any of which may be left out: its input TypedDict."""
    if call.message.name == "create" and call.implicit and p.type.kind is Kind.RECORD:
        return Param(f"{call.cls.name} record input", p.name, p.doc)
    return p


def _method_lines(call: ApiCall, model: Model, flavour: str) -> Iterator[str]:
    msg: Message = call.message
    name = identifier(msg.name)
    params = msg.params
    sig = _signature(params, model).replace(f"{call.cls.name} record input", "")
    if call.message.name == "create" and call.implicit:
        sig = sig.replace(f"args: {record_type(call.cls.name)}", f"args: {record_type(call.cls.name)}Input")
    result = py_type(msg.result_type, model)
    args = _args(params)
    doc = (msg.doc or f"``{call.wire}``").strip().replace("\\", "\\\\").replace('"""', "'''").split("\n")[0]
    if flavour == "sync":
        yield f"    def {name}({sig}) -> {result}:"
        yield f'        """{doc}"""'
        yield f"        return cast({result!r}, self._call({call.wire!r}{args}))"
    elif flavour == "aio":
        yield f"    async def {name}({sig}) -> {result}:"
        yield f'        """{doc}"""'
        yield f"        return cast({result!r}, await self._call({call.wire!r}{args}))"
    elif flavour == "task":
        yield f"    def {name}({sig}) -> Task[{result}]:"
        yield f'        """``Async.{call.wire}``: {doc}"""'
        yield f"        return Task(self._session, self._session.call_with_session({'Async.' + call.wire!r}{args}))"
    else:
        yield f"    async def {name}({sig}) -> AsyncTask[{result}]:"
        yield f'        """``Async.{call.wire}``: {doc}"""'
        yield (f"        return AsyncTask(self._session, await self._session.call_with_session("
               f"{'Async.' + call.wire!r}{args}))")  # fmt: skip


def _public_calls(cls: ClassDef) -> list[ApiCall]:
    return [c for c in calls(cls) if c.message.session_first]


def generate(model: Model = MODEL) -> str:
    lines = [HEADER]
    lines.append("# -- references: one type per class, so refs of different classes do not mix\n")
    for cls in classes(model):
        lines.append(f'{ref_type(cls.name)} = NewType("{ref_type(cls.name)}", str)')
    lines.append("\n# -- enums\n")
    for name in _used_enums(model):
        values = ", ".join(repr(v) for v in model.enums[name].values)
        lines.append(f"{enum_type(name)} = Literal[{values}]")
    lines.append("\n# -- records: what get_record returns, and what create accepts\n")
    for cls in classes(model):
        fields = ", ".join(f"{f.name!r}: {py_type(f.type, model)}" for f in cls.fields if not f.hidden)
        lines.append(f'{record_type(cls.name)} = TypedDict("{record_type(cls.name)}", {{{fields}}})')
        if cls.has_constructor:
            ctor = ", ".join(f"{f.name!r}: {py_type(f.type, model)}" for f in cls.fields
                             if not f.hidden and f.qualifier.value != "RO/runtime")  # fmt: skip
            lines.append(f'{record_type(cls.name)}Input = TypedDict("{record_type(cls.name)}Input", {{{ctor}}}, '
                         "total=False)")  # fmt: skip
    lines.append("")
    for flavour, suffix, base in (("sync", "Api", "Caller"), ("aio", "AsyncApi", "AsyncCaller")):
        for cls in classes(model):
            members = _public_calls(cls)
            lines.append(f"\nclass {_camel(cls.name)}{suffix}:")
            lines.append(f'    """The messages of ``{cls.name}``."""\n')
            lines.append('    __slots__ = ("_call",)\n')
            lines.append(f"    def __init__(self, call: {base}) -> None:")
            lines.append("        self._call = call")
            for call in members:
                lines.append("")
                lines.extend(_method_lines(call, model, flavour))
    for flavour, suffix, session in (("task", "Tasks", "Session"), ("atask", "AsyncTasks", "AsyncSession")):
        for cls in classes(model):
            members = [c for c in _public_calls(cls) if c.message.is_async]
            if not members:
                continue
            lines.append(f"\nclass {_camel(cls.name)}{suffix}:")
            lines.append(f'    """The ``Async.{cls.name}.*`` forms: each returns a task handle at once."""\n')
            lines.append('    __slots__ = ("_session",)\n')
            lines.append(f"    def __init__(self, session: {session}) -> None:")
            lines.append("        self._session = session")
            for call in members:
                lines.append("")
                lines.extend(_method_lines(call, model, flavour))
    lines.extend(_clients(model))
    return "\n".join(lines).rstrip() + "\n"


def _clients(model: Model) -> Iterator[str]:
    for flavour, session, api_suffix, task_suffix in (("", "Session", "Api", "Tasks"),
                                                      ("Async", "AsyncSession", "AsyncApi", "AsyncTasks")):  # fmt: skip
        with_tasks = [c for c in classes(model) if any(m.message.is_async for m in _public_calls(c))]
        yield f"\n\nclass {flavour}TypedAsyncForms:"
        yield '    """``client.Async.<Class>.<message>(...)``: the calls that return a task."""\n'
        yield f"    def __init__(self, session: {session}) -> None:"
        for cls in with_tasks:
            yield f"        self.{cls.name} = {_camel(cls.name)}{task_suffix}(session)"
        yield f"\n\nclass {flavour}TypedClient:"
        yield f'    """Every XenAPI class of xenia as a typed attribute, over a logged-in {session}."""\n'
        yield f"    def __init__(self, session: {session}) -> None:"
        yield "        self.connection = session"
        yield "        call = session.call_with_session"
        for cls in classes(model):
            yield f"        self.{cls.name} = {_camel(cls.name)}{api_suffix}(call)"
        yield f"        self.Async = {flavour}TypedAsyncForms(session)"


def main() -> int:
    import sys
    from pathlib import Path

    target = Path(__file__).resolve().parents[1] / "client" / "typed.py"
    text = generate()
    if sys.argv[1:] == ["--check"]:
        return 0 if target.exists() and target.read_text() == text else 1
    target.write_text(text)
    print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
