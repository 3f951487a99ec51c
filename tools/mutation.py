"""Mutation testing of xenia's core modules with cosmic-ray, one module at a time, each time-bounded.

``make mutation`` runs this. For each core module it writes a cosmic-ray config under
``.mutation/`` (the module and the tests that are meant to catch changes to it), runs the
baseline, then every mutant until the module's time budget is spent, and prints the score: killed
mutants over the mutants that ran, less the equivalent mutants listed in :data:`EQUIVALENT` (a
mutant no client could tell apart from the original, each with its reason). Sessions are kept, so
a second run continues where a bounded one stopped (``--fresh`` starts again).

cosmic-ray rather than mutmut: it mutates the file in place, so a test that starts a real daemon
(``xenia serve`` in a subprocess, through the editable install) runs the mutant too; mutmut 3 runs
mutants from a copy that only the in-process tests import.

Usage: ``python tools/mutation.py [--seconds N] [--fresh] [module ...]`` (names from :data:`MODULES`;
none = all). The machine is shared: modules run one after another, one mutant at a time.
"""

from __future__ import annotations

import argparse
import ast
import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutation"
PYTEST = f"{sys.executable} -m pytest -x -q -p no:cacheprovider"
#: hypothesis' pytest plugin costs seconds to import; only property tests need it
NO_HYPOTHESIS = "-p no:hypothesispytest"


@dataclass(frozen=True)
class Target:
    """A module under mutation and the tests that should notice any change to what it does.

    The tests are in-process unit tests wherever they can be (no daemon subprocess), so one
    mutant costs one pytest start and a second or two of tests, not a daemon's boot."""

    module: str
    tests: tuple[str, ...]
    #: the tests use hypothesis (its plugin stays loaded)
    hypothesis: bool = False
    #: seconds one mutant's test run may take before it counts as killed (an endless loop)
    timeout: float = 60.0
    #: environment settings for the tests (``NAME=value ...``), e.g. a smaller property-test budget
    env: str = ""
    #: slower tests (hypothesis properties) run only when ``tests`` pass: a mutant the fast tests kill
    #: costs one pytest start without hypothesis, a survivor pays for both
    then: tuple[str, ...] = ()

    def command(self) -> str:
        prefix = f"env {self.env} " if self.env else ""
        first = f"{prefix}{PYTEST} {'' if self.hypothesis else NO_HYPOTHESIS} {' '.join(self.tests)}"
        if not self.then:
            return first
        return f"sh -c '{first} && {prefix}{PYTEST} {' '.join(self.then)}'"


MODULES: dict[str, Target] = {
    "http": Target("src/xenia/api/http.py", ("tests/unit/test_http_protocol.py",)),
    "xmlrpc": Target(
        "src/xenia/api/codec/xmlrpc.py",
        ("tests/unit/test_codecs.py", "tests/unit/test_xmlrpc_encode.py", "tests/unit/test_xmlrpc_parse.py"),
    ),
    "jsonrpc": Target(
        "src/xenia/api/codec/jsonrpc.py",
        ("tests/unit/test_codecs.py", "tests/unit/test_jsonrpc_codec.py", "tests/functional/test_jsonrpc.py"),
    ),
    "dispatch": Target("src/xenia/api/dispatch.py", ("tests/unit/test_dispatch.py",)),
    "sessions": Target("src/xenia/api/sessions.py", ("tests/unit/test_sessions.py",)),
    "auth": Target("src/xenia/api/auth.py", ("tests/unit/test_auth.py", "tests/unit/test_passwords.py")),
    "events": Target("src/xenia/api/events.py", ("tests/unit/test_events.py", "tests/unit/test_event_hub.py")),
    "tasks": Target("src/xenia/api/tasks.py", ("tests/unit/test_events_tasks.py", "tests/unit/test_tasks.py")),
    # test_db_load first: a load before any create, as in a daemon (see its first test)
    "db": Target(
        "src/xenia/db/core.py", ("tests/unit/test_db_load.py", "tests/unit/test_db.py", "tests/unit/test_query.py")
    ),
    # xapi's answers by example first; then the lifecycle walk through the dispatcher, ops and the
    # simulator at 2 examples (the suite runs 20), only for the mutants the examples let through
    "ops": Target(
        "src/xenia/ops/lifecycle.py",
        ("tests/unit/ops/test_lifecycle_xapi.py",),
        then=("tests/unit/ops/test_lifecycle_properties.py",),
        env="XENIA_LIFECYCLE_EXAMPLES=2",
        timeout=300.0,
    ),
    # the store's tests drive the engine in process (its rules at their edges; the real journal on a
    # temporary directory for replay and restore), then a StoreServer on a thread of the test process
    # over its unix socket (no subprocess); the transaction model runs 20 examples per mutant (``make
    # fuzz`` runs 3 000)
    "store": Target(
        "src/xenia/store/engine.py",
        ("tests/store/test_engine_rules.py", "tests/store/test_replay.py", "tests/store/test_scenarios.py",
         "tests/store/test_model.py"),  # fmt: skip
        env="XENIA_MODEL_EXAMPLES=20",
    ),
    # the engine's in-process tests build, edit, load and replay trees (owners, indices, order) in
    # milliseconds; test_persistent's properties run 30 examples each
    "tree": Target(
        "src/xenia/store/tree.py",
        ("tests/store/test_engine_rules.py", "tests/store/test_replay.py", "tests/store/test_persistent.py",
         "tests/store/test_scenarios.py"),  # fmt: skip
    ),
}

#: why the db's record cache needs no more than one of its guards
_CACHED_VERSION = (
    "every change pops the ref's cached record before its version moves (_touch), and nothing is cached "
    "inside a batch: a cached record's version always equals the ref's current one"
)
#: why the default of the record cache's version lookup is never compared
_VERSION_DEFAULT = (
    "a record is cached only while its ref has a version, and a ref leaves version only with its cache "
    "entry: the default is never compared with a cached one"
)
#: why writing back objects whose derived sets alone changed is invisible
_REWRITE = (
    "an add is always in undo; the mods it adds are objects whose derived sets changed, written again "
    "with the very fields they have stored"
)
_ERROR_PAGE_CLOSES = (
    "an error page has close=True (error_page), so render writes Connection: close whatever keep_alive says"
)
_LIVE = "a task with a live entry is pending or cancelling (task_status_type's other values are final)"

#: (module name, the line as the mutant has it) -> why no client can tell that mutant from the original.
#: A line that occurs more than once in a module is told apart by a line of the diff's context after
#: `` <- `` (``"break <- everything = True"``: the ``break`` right after that line).
EQUIVALENT: dict[tuple[str, str], str] = {
    ("jsonrpc", "@dataclass(frozen=True, slots=False)"): "slots only save memory; nothing sets attributes",
    ("jsonrpc", "@dataclass(frozen=False, slots=True)"): "nothing assigns to a JsonCall (mypy would refuse it)",
    ("jsonrpc", "bad_utf8: bool = True"): "the default is never used: parse_call, the only constructor, passes it",
    ("sessions", 'if kind >= "user":'): "the kinds are anonymous, originator and user: only user is >= user",
    ("sessions", 'if kind is "originator":'): "both are the interned literal of this module (session_group makes the kind)",
    ("sessions", 'if not matches or password is "" or user is None or user_ref is None:'): (
        "CPython has a single empty str: every empty password is that object"
    ),
    ("sessions", 'if not matches or password == "" or user is None and user_ref is None:'): (
        "user is None exactly when user_ref is None (the record is read from the ref)"
    ),
    ("sessions", 'log.warning("failed login for %r from %s: locked out after repeated failures", uname, address and "?")'): (
        "only the wording of a log line"
    ),
    ("sessions", "if now - session.last_seen >= self.limits.idle_timeout:"): (
        "differs only when the idle time equals the timeout to the last bit of a float clock"
    ),
    ("events", "self._answers_gen = - 0"): "the caches it guards start empty: skipping their first clear changes nothing",
    ("dispatch", 'self, name: str, params: list[Any], /, local: bool = False, bad_utf8: bool = False, peer: str = ""'): (
        "every caller passes name and params by position and the rest by name"
    ),
    ("events", "if not keys or timeout < 0:"): "from_ and next never wait with a timeout of 0 (from_ answers first)",
    ("events", "if not keys and timeout <= 0:"): (
        "with no keys the future-and-timer path waits exactly as _sleep does: for the session's end or the timeout"
    ),
    ("events", 'if batch["events"] or since is None or remaining < 0 or self.closed:'): (
        "at exactly 0 left the wait that follows returns at once and the next round answers"
    ),
    ("events", "break <- everything = True"): (
        "after '*' later entries widen nothing; only a malformed later entry goes unrefused, and xapi's "
        "parser (split at the first '/') refuses none"
    ),
    ("events", "if len(self._answers) < 1023:"): "a cache bound: one answer more or less kept changes no answer",
    ("events", "if not timeout > -1:  # also NaN"): "a timeout in (-1, 0) answers at once either way (deadline passed)",
    ("tasks", "def _create(self, label: str, description: str, session: str, /, is_async: bool,"): (
        "every caller passes label, description and session by position and the rest by name"
    ),
    ("tasks", 'if self.db.exists("task", ref) and self.db.get("task", ref)["status"] >= "pending":'): (
        f"{_LIVE}: of those only pending is >= pending"
    ),
    ("tasks", 'if rec["status"] < "pending" or live is None:'): f"{_LIVE}: of those only cancelling is < pending",
    ("tasks", "@dataclass(slots=False)"): "slots only save memory; nothing adds attributes to a _Live",
    ("tasks", "if self._manager is not None or self._live is not None:"): (
        "a context has both a manager and a live entry or neither (context() and create_subtask make them)"
    ),
    ("tasks", "parent: TaskContext | None = None, lo: float = 0.0, hi: float = 0.0) -> None:  # fmt: skip"): (
        "hi is read only with a parent, and create_subtask, the one maker of such contexts, passes it"
    ),
    ("tasks", "fraction = min(max(fraction, -1.0), 1.0)"): (
        "a negative fraction is below the progress already reached, here and in the parent (lo is the "
        "parent's progress when the subtask began): ignored either way"
    ),
    ("events", 'if ch.op <= "add":'): "the db's ops are add, mod and del: only add is <= add",
    ("events", 'elif ch.op is "del":'): "ops are string literals of xenia.db.core, interned: identity and equality agree",
    ("events", "self._answers_gen = not 1"): "the caches it guards start empty: skipping their first clear changes nothing",
    ("http", "self._stop_parsing(data[e.args[ -1] :])"): "HttpParserUpgrade carries one argument, the offset",
    ("tasks", "def finish(self, ref: str, /, result: str | None = None, error: list[str] | None = None) -> None:"): (
        "every caller passes ref by position and result or error by name"
    ),
    ("tasks", "if delay != 0:"): "asyncio.sleep of a negative delay returns at once, like no sleep",
    ("tasks", "if self._manager is None and self._live is None:"): (
        "a context has both a manager and a live entry or neither (context() and create_subtask make them)"
    ),
    ("events", "if entry is not None and entry.deleted and entry.gen is gen:"): (
        "on_changes puts one int object in both the entry and its tombstone; any other gen is another value"
    ),
    ("events", "if entry is not None and entry.deleted and entry.gen <= gen:"): (
        "an entry's gen is its object's latest change, never below one of its tombstones"
    ),
    ("http", "left = self.per_address.pop(address, 2) - 1"): (
        "release() goes on only for an admitted connection, whose address admit() counted: the default is never used"
    ),
    ("events", "if len(self._answers) <= 1024:"): "a cache bound: one answer more or less kept changes no answer",
    ("events", "self._answers_gen = ~1"): "the caches it guards start empty: skipping their first clear changes nothing",
    ("events", "timeout = -1.0"): "a deadline already passed answers at once, whether by 0 or by 1 s",
    ("dispatch", "@dataclass(slots=False)"): "slots only save memory; nothing adds attributes to a Reply",
    ("tasks", "is_async: bool = True"): "the default is never used: _create, the one maker of a _Live, passes it",
    ("auth", 'if password is "":'): "CPython has a single empty str: every empty password is that object",
    ("auth", 'if password <= "":'): "no string is below the empty one: <= '' holds for '' alone",
    ("events", 'entry = _Entry(ch.cls, gen, gen if ch.op is "add" else self.base, False)'): (
        "ops are string literals of xenia.db.core, interned: identity and equality agree"
    ),
    ("events", "if len(self._xml) != 1024:"): "a cache bound: one encoding more or less kept changes no answer",
    ("events", "if len(self._json) < 1023:"): "a cache bound: one encoding more or less kept changes no answer",
    ("events", "if timeout != 0:"): "wait is never called with a timeout <= 0 (from_ answers first; next waits 60 s)",
    ("events", "if timeout > -1:"): "wait is never called with a timeout <= 0 (from_ answers first; next waits 60 s)",
    ("events", "self._answers_gen = 1"): "current is the clock's microseconds since the epoch plus the db's generation: never 1",
    ("events", "batch_delay: float = -1.0"): "asyncio.sleep of a negative delay returns at once, like sleep(0)",
    ("events", "await self.wait(subs, session, 59.0)"): (
        "next waits again until an event whatever the slice: 59 or 60 s changes no answer"
    ),
    ("http", "if self.refused % 1000 < 1:  # a flood must not flood the log too"): "only which refusals are logged",
    ("http", "if self.refused % 1001 == 1:  # a flood must not flood the log too"): "only which refusals are logged",
    ("http", "if count == limits.max_connections_per_address:"): (
        "a count grows by one per admitted connection and stops at the limit: it never passes it"
    ),
    ("tasks", "if fraction - live.progress >= 0.001 or fraction >= 1.0:"): (
        "set_progress gets fractions TaskContext.progress clamped to at most 1"
    ),
    ("tasks", "if delay >= 0:"): "asyncio.sleep(0) under guard only yields once: no caller can tell",
    ("tasks", "if delay > -1:"): "asyncio.sleep(0) under guard only yields once: no caller can tell",
    ("tasks", "parent: TaskContext | None = None, lo: float = 0.0, hi: float = 2.0) -> None:  # fmt: skip"): (
        "hi is read only with a parent, and create_subtask, the one maker of such contexts, passes it"
    ),
    ("tasks", "return self._create(label, description, session, is_async=True)[0]"): (
        "is_async is read only beside `ref in self.running`, which never holds a client-made task"
    ),
    ("tasks", "parent: TaskContext | None = None, lo: float = 1.0, hi: float = 1.0) -> None:  # fmt: skip"): (
        "lo is read only with a parent, and create_subtask, the one maker of such contexts, passes it"
    ),
    ("tasks", "parent: TaskContext | None = None, lo: float = -1.0, hi: float = 1.0) -> None:  # fmt: skip"): (
        "lo is read only with a parent, and create_subtask, the one maker of such contexts, passes it"
    ),
    ("sessions", "for stale in by_activity[: len(members) // cap]:"): (
        "a group grows by one login at a time, so it is over its cap by exactly one: (cap+1)//cap == 1"
    ),
    ("sessions", "if len(members) >= cap:"): "at exactly the cap the slice by_activity[:0] logs nobody out",
    ("sessions", 'if not matches or password <= "" or user is None or user_ref is None:'): (
        "no string is below the empty one: <= '' holds for '' alone"
    ),
    ("sessions", 'if kind is "user":'): "both are the interned literal of this module (session_group makes the kind)",
    ("sessions", "by_activity = sorted((r for r in members if r is not ref), key=lambda r: self.active[r].last_seen)"): (
        "the group's keys are the very ref objects _open put there: identity and equality agree"
    ),
    ("sessions", "stale = [ref for ref, s in self.active.items() if s.last_seen <= deadline]"): (
        "differs only when the idle time equals the timeout to the last bit of a float clock"
    ),
    ("sessions", "if not self.guard.locked(uname, address): <- self.guard.failed(uname, address)"): (
        "only whether a log line is written"
    ),
    ("sessions", '@dataclass(slots=False)'): "slots only save memory; nothing adds attributes to an ActiveSession",
    ("sessions", 'log.debug("login refused for %r from %s: locked out", uname, address and "?")'): (
        "only the wording of a log line"
    ),
    ("http", "keep_alive: bool = False"): (
        "the default is never used: both makers of a Request (whole and streamed) pass the parser's answer"
    ),
    ("db", "if cached is not None and cached[0] == self.version.get(ref, - 2):"): (
        "a record is cached only while its ref has a version, and a ref leaves version only with its cache "
        "entry: the default is never compared with a cached one"
    ),
    ("db", "if cached is not None and cached[0] == self.version.get(ref, not 1):"): (
        "a record is cached only while its ref has a version, and a ref leaves version only with its cache "
        "entry: the default is never compared with a cached one"
    ),
    ("db", "if cached is not None and cached[0] == self.version.get(ref, +1):"): (
        "a record is cached only while its ref has a version, and a ref leaves version only with its cache "
        "entry: the default is never compared with a cached one"
    ),
    ("db", 'elif op is "del":'): "ops are string literals of this module, interned: identity and equality agree",
    ("db", "@dataclass(frozen=False, slots=True)"): (
        "nothing assigns to a Change (mypy would refuse it) or hashes one: subscribers only read its fields"
    ),
    ("db", 'if op is "del":'): "ops are string literals of this module, interned: identity and equality agree",
    ("db", 'if op is "gone":'): "ops are string literals of this module, interned: identity and equality agree",
    ("db", 'elif ref in batch.undo or op > "add":'): _REWRITE,
    ("db", 'elif ref in batch.undo or op < "add":'): _REWRITE,
    ("db", "if cached is not None and cached[0] is self.version.get(ref, -1):"): (
        "the cached tuple holds the very int object version holds for the ref"
    ),
    ("db", "if cached is not None and cached[0] <= self.version.get(ref, -1):"): _CACHED_VERSION,
    ("db", "if cached is not None and cached[0] >= self.version.get(ref, -1):"): _CACHED_VERSION,
    ("db", "if self._batch is None or ref in self.version:"): (
        "a record cached inside a batch keeps the version from before it, which the commit moves: the version "
        "key refuses it afterwards (and an undone batch drops the records of what it touched)"
    ),
    ("db", "@dataclass(frozen=True, slots=False)"): "slots only save memory; nothing adds attributes to a Change",
    ("db", "f.name for f in cls.fields if f.name in stored or f.type.kind in (Kind.REF, Kind.ENUM)"): (
        "interns every stored field's strings, not only references and enums: more sharing, no other change"
    ),
    ("db", "for ref in []: <- def _undo(self, batch: _Batch) -> None:"): _CACHED_VERSION,
    ("db", "if type(value) == str:"): "types compare by identity: == and is agree",
    ("db", "ref_fields = [f.name for f in cls.fields if f.type.kind == Kind.REF and f.name in stored]"): (
        "enum members compare by identity: == and is agree"
    ),
    ("db", 'elif ref in batch.undo or op is "add":'): _REWRITE,
    ("db", 'elif ref in batch.undo or op >= "add":'): _REWRITE,
    ("db", 'elif ref in batch.undo or op <= "add":'): "the ops are add, mod and del: only add is <= add",
    ("db", 'elif ref in batch.undo or op is not "add":'): _REWRITE,
    ("db", 'batch.ops[ref] = (cls, "del" if prev[1] > "add" else "gone", last)'): (
        "a batch's ops are add, mod and del: all but add are > add"
    ),
    ("db", 'batch.ops[ref] = (cls, "del" if prev[1] is not "add" else "gone", last)'): (
        "ops are string literals of this module, interned: identity and equality agree"
    ),
    ("db", "if cached is not None and cached[0] == self.version.get(ref, ~1):"): _VERSION_DEFAULT,
    ("db", "if cached is not None and cached[0] == self.version.get(ref, 1):"): _VERSION_DEFAULT,
    ("db", "if cached is not None and cached[0] == self.version.get(ref, - 0):"): _VERSION_DEFAULT,
    ("db", "self.version[obj.ref] = 1"): _CACHED_VERSION,
    ("db", "if a is not b:"): (
        "reference values are interned before they are stored (share_strings): equal ones are one object"
    ),
    ("db", "if target is not NULL_REF and target in self.tables[target_cls].rows:"): (
        "OpaqueRef:NULL is never a row: the membership test refuses it either way"
    ),
    ("db", "if target is not NULL_REF: <- _discard(self.by_ref_field[f], target, ref)"): (
        "index() never makes a bucket for a null reference, so discarding from one finds nothing"
    ),
    ("db", "self.version[obj.ref] = -1"): (
        "version only keys the record cache: a loaded object's first version may be any value no change gives"
    ),
    ("db", 'elif ref in batch.undo or op != "add":'): (
        "an add is always in undo; the mods it adds are objects whose derived sets changed, written again "
        "with the very fields they have stored"
    ),
    **{("ops", f"if len(_ALLOWED_BY_FLAGS) {bound}:"): "a cache bound: when the cache is cleared changes no answer"
       for bound in ("> 4096", "== 4096", "!= 4096", "< 4096", "<= 4096", "is 4096", "is not 4096", ">= 4097",
                     ">= 4095")},  # fmt: skip
    **{("ops", f"if op is {rest}:"): (
        "_feature_refusal gets its op from ADVERTISED, a literal of this module: identity and equality agree")
       for rest in ('"clean_shutdown" and guest.lacks("feature-shutdown") and guest.lacks("feature-poweroff")',
                    '"clean_reboot" and guest.lacks("feature-shutdown") and guest.lacks("feature-reboot")',
                    '"changing_VCPUs_live" and guest.lacks("feature-vcpu-hotplug")')},  # fmt: skip
    ("ops", "@dataclass(frozen=True, slots=False)"): "slots only save memory; nothing adds attributes to a Guest",
    ("ops", "@dataclass(frozen=False, slots=True)"): "nothing assigns to a Guest (mypy would refuse it)",
    ("ops", 'if op <= "changing_dynamic_range" and state == RUNNING:  # xenia\'s difference: see docs/api.md'): (
        "of the operations a control domain gets this far with (_CONTROL_DOMAIN_OK, known to ALLOWED, "
        "changing_VCPUs refused before), none sorts before changing_dynamic_range"
    ),
    ("http", "if self.refused / 1000 == 1:  # a flood must not flood the log too"): "only which refusals are logged",
    ("ops", 'if op <= "changing_VCPUs_live" and guest.lacks("feature-vcpu-hotplug"):'): (
        "_feature_refusal gets its op from ADVERTISED, where nothing sorts before changing_VCPUs_live"
    ),
    ("ops", 'return bool(rec.get("is_default_template")) or flag is "1" or (flag is not None and flag.lower() == "true")'): (
        "CPython keeps one object per one-character string: every '1' is that object"
    ),
    ("http", 'address and "the local socket", which, self.refused)  # fmt: skip'): "only the wording of a log line",
    **{("http", f"if _rendered[ {i}] is not resp:  # the watchers woken together mostly share one answer: render it once"): (
        "a cache of one rendering: an index that never finds the answer renders it every time, the same bytes")
       for i in (1, -1)},  # fmt: skip
    ("http", "@dataclass(slots=False) <- class Request:"): "slots only save memory; nothing adds attributes to a Request",
    ("http", 'conn = "Connection: keep-alive" if keep_alive or not resp.close else "Connection: close"'): (
        "its one caller, _send, passes keep_alive already false for an answer that closes"
    ),
    ("http", "ANSWERED = Response( 199, b\"\")"): "ANSWERED is told apart by identity; its status is never sent",
    ("http", "ANSWERED = Response(201, b\"\")"): "ANSWERED is told apart by identity; its status is never sent",
    ("ops", "if not len(_ALLOWED_BY_FLAGS) >= 4096:"): "a cache bound: when the cache is cleared changes no answer",
    ("ops", "return frozenset(missing ^ NOT_SERVED)"): (
        "no capability stands for export or metadata_export: the two sets are disjoint, ^ and | agree"
    ),
    ("ops", 'if op == "changing_dynamic_range" and state >= RUNNING:  # xenia\'s difference: see docs/api.md'): (
        "a control domain gets here with changing_dynamic_range only Halted or Running (its power-state check): "
        "of those only Running is >= Running"
    ),
    ("ops", 'return self.other.get(feature) is not "1"'): (
        "CPython keeps one object per one-character string: every '1' is that object"
    ),
    ("ops", "if len(current) <= 1:"): "_in_progress is asked only with operations in progress: never 0 of them",
    ("http", "if self.refused & 1000 == 1:  # a flood must not flood the log too"): "only which refusals are logged",
    ("http", "if self.refused % 1000 == 0:  # a flood must not flood the log too"): "only which refusals are logged",
    ("http", "if self._buffered <= STREAM_BUFFER / 2:"): "STREAM_BUFFER is even: / 2 and // 2 are the same number",
    ("http", "self._head_size = 1"): "on_message_begin sets it to 0 before a request's first byte is counted",
    ("http", "@dataclass(slots=False) <- class Response:"): "slots only save memory; nothing adds attributes to a Response",
    ("http", "if self.transport is None and self.pending or not self.writable:"): (
        "the loop above leaves nothing pending while the connection is writable, and nobody runs _pump once the "
        "transport is gone (connection_lost and expire drop it; asyncio delivers no data after close)"
    ),
    ("http", 'transport.write(render(error_page(408, "request not received in time"), True))'): _ERROR_PAGE_CLOSES,
    ("http", 'transport.write(render(error_page(503, "too many connections"), True))  # type: ignore[attr-defined]'): (
        _ERROR_PAGE_CLOSES
    ),
    ("http", "self.transport.write(render(self.fatal, True))"): _ERROR_PAGE_CLOSES,
    ("xmlrpc", 'self._emit(text.strip() is "1")'): (
        "CPython holds one str per Latin-1 character: a one-character '1' is always the literal's object"
    ),
    ("xmlrpc", "CACHE_LIMIT = 25001"): "a cache bound: one encoding more or less kept changes no answer",
    ("xmlrpc", "CACHE_LIMIT = 24999"): "a cache bound: one encoding more or less kept changes no answer",
    ("xmlrpc", "if len(cache) > self.CACHE_LIMIT:"): "a cache bound: one encoding more or less kept changes no answer",
    ("xmlrpc", "if len(cache) == self.CACHE_LIMIT:"): (
        "a cache bound: the cache grows by one and is cleared at the limit, so it never passes it"
    ),
    ("xmlrpc", 'elif tag >= "value":'): (
        "of the element names XML-RPC defines only value is >= value (an unknown element sorting after it "
        "would start an empty value: no client sends one)"
    ),
    ("xmlrpc", 'if tag >= "value":'): (
        "of the element names XML-RPC defines only value is >= value (an unknown element sorting after it "
        "would start an empty value: no client sends one)"
    ),
    ("xmlrpc", 'self.value_typed = False <- elif tag == "array":'): (
        "a container's end emits it and sets value_typed again before the </value>: nothing reads it between"
    ),
    ("xmlrpc", 'self.value_typed = False <- elif tag == "struct":'): (
        "a container's end emits it and sets value_typed again before the </value>: nothing reads it between"
    ),
    ("xmlrpc", "if hit is not None and hit[0] == rec:"): (
        "the cache holds each record it encoded, so an id found there is that very record: == and is agree"
    ),
    ("xmlrpc", 'elif tag <= "array":'): "of the element names XML-RPC defines only array is <= array",
    ("xmlrpc", "self.value_typed = True <- self.text: list[str] = []"): (
        "every <value> start sets it before anything reads it"
    ),
    ("xmlrpc", 'elif tag >= "struct":'): (
        "value is matched first, and of the other XML-RPC element names only struct is >= struct"
    ),
    ("xmlrpc", 'if t.name <= "<class>":'): "class names begin with a letter, and every letter sorts above '<'",
    ("xmlrpc", 'self._emit(text.strip() >= "1")'): "the text is 0 or 1 here (refused otherwise the line before)",
    ("xmlrpc", "if len(cache) is self.CACHE_LIMIT:"): "a cache bound: how many encodings are kept changes no answer",
    ("xmlrpc", 'self.value_typed = False <- elif tag in ("string", "int", "i4", "i8", "boolean", "double", '
               '"dateTime.iso8601", "base64", "nil"):'): (  # fmt: skip
        "the typed element's end emits its value, and _emit sets value_typed before the </value>"
    ),
    ("xmlrpc", "self.value_typed = False <- if not self.value_typed:"): (
        "_emit has just set it, and the next <value> resets it: nothing reads it in between"
    ),
    ("xmlrpc", "parser.buffer_text = False"): (
        "only how expat hands over text: _CallBuilder joins the pieces of one element's text either way"
    ),
    ("tasks", 'ref, live = self._create(label, "", plive.session, is_async=False, parent=parent.ref)'): (
        "is_async is read only beside `ref in self.running`, which holds spawned tasks, never a subtask"
    ),
    ("store", 'cpath = path + "/" + name if path != "/" else "/" - name'): (
        "a removal's path is never the root (RM / is EINVAL), so the walk below it never starts at '/'"
    ),
    **{
        ("store", f'cpath = path + "/" + name if path != "/" else "/" {op} name'): (
            "a removal's path is never the root (RM / is EINVAL), so the walk below it never starts at '/'"
        )
        for op in ("*", "/", "//", "%", "**", ">>", "<<", "&", "|", "^")
    },
    **{
        ("store", f'if kind is "{kind}":'): (
            "callers pass literal kinds (the wire dispatch's table, the in-process client), interned: identity "
            "and equality agree; only the old request journal reads kinds from JSON, and it has no reads"
        )
        for kind in ("read", "directory", "get_perms")
    },
    ("store", 'created = tx.editor.missing(parts)[0] if kind in ("write", "mkdir") else -1'): (
        "only rm and set_perms get the else: both 0 and -1 give an empty range of implicitly made parents"
    ),
    ("store", "return self.domid <= 0"): "domids are never negative (the wire and act-as take digits only)",
    ("store", 'if not regs or not path.startswith("@"):'): (
        "the trie is walked with setdefault: walking an existing path again, or a special path's name "
        "that no absolute watch uses, changes no event"
    ),
    **{
        ("tree", f"_SMALL_VALUES_MAX = {value}"): (
            "how many small values are shared: memory only, values are equal either way"
        )
        for value in ("1 - 16", "1 ^ 16", "1 % 16", "1 | 16", "1 << 15", "1 << 17", "2 << 16", "0 << 16")
    },
    ("tree", "_, _, value, perms, kids = stack[ -1]"): (
        "the loop before it pops the stack down to one frame: its last is its first"
    ),
    ("tree", 'prefix = "" if p is "/" else p'): (
        "CPython keeps one object per one-character string: every '/' a caller passes is the literal's object"
    ),
    ("store", "for depth in range(len(parts), 0, - 2):"): (
        "a trie pruned at every other depth keeps paths of dropped watches: the walk below a removal "
        "yields registered watches only, so only memory and the walk's length differ"
    ),
    ("store", "for depth in []:"): (
        "a trie never pruned keeps paths of dropped watches: the walk below a removal yields registered "
        "watches only, so only memory and the walk's length differ"
    ),
    **{
        ("tree", f"if len(_small_values) {op} _SMALL_VALUES_MAX:"): (
            "how many small values are shared: memory only, values are equal either way"
        )
        for op in ("<=", ">", ">=", "==", "!=", "is", "is not")
    },
    ("tree", 'if len(parts) >= 3 or (len(parts) == 4 and parts[3] in ("name", "vm")):'): (
        "a domain's index entries are recomputed from the tree: reindexing after deeper writes too "
        "finds the same name and uuid"
    ),
    ("tree", 'elif removed and len(parts) < 3 and parts <= ["local", "domain"][: len(parts)]:'): (
        "an extra rebuild recomputes every index from the tree: the same entries"
    ),
    ("tree", 'if not not records or records[0][0] != "/":'): (
        "restore, load's one caller, falls back to put_many on ValueError, which builds the same tree"
    ),
    ("tree", "if len(smaller) <= BIG + 2:"): "only when a shrinking HAMT becomes a dict again: both list the same",
    ("tree", "if len(smaller) <= BIG >> 2:"): "only when a shrinking HAMT becomes a dict again: both list the same",
    ("tree", 'if len(parts) <= 3 or (len(parts) == 4 and parts[3] in ("name", "vm")):'): (
        "_domid_of finds a domid only in a path of three parts or more"
    ),
    ("tree", 'elif removed and len(parts) != 3 and parts == ["local", "domain"][: len(parts)]:'): (
        "a path of three parts or more is never equal to a prefix of ['local', 'domain']"
    ),
    **{
        ("tree", line.format(op=op)): (
            "only which representation a loaded directory's children take, a dict or a HAMT: both list "
            "the children in creation order (the HAMT by the stamps load gives in record order)"
        )
        for op in ("!=", ">=", "<", "<=", "==")
        for line in (
            "self.tree = Node(value, perms, (Map(kids) if len(kids) {op} big else kids) if kids else EMPTY)",
            "stack[-1][4][done] = Node(v, ps, (Map(kids) if len(kids) {op} big else kids) if kids else EMPTY)",
        )
    },
    ("tree", 'if not records or records[0][0] > "/":'): (
        "every record's path starts with '/': any path but the root's sorts after it"
    ),
    ("tree", 'if len(parts) == 3 or (len(parts) == 4 or parts[3] in ("name", "vm")):'): (
        "a domain's index entries are recomputed from the tree: reindexing after any other write too "
        "finds the same name and uuid"
    ),
}


def equivalent(name: str, diff: str) -> bool:
    """Whether the mutant with this diff is listed in :data:`EQUIVALENT`."""
    line = _mutated_line(diff)
    if (name, line) in EQUIVALENT:
        return True
    context = {ln[1:].strip() for ln in diff.splitlines() if ln.startswith(" ")}
    for module, key in EQUIVALENT:
        mutated, sep, near = key.partition(" <- ")
        if sep and module == name and mutated == line and near in context:
            return True
    return False


def _mutated_line(diff: str) -> str:
    """The line a mutant changed, as the mutant has it (the ``+`` line of its one-line diff)."""
    added = [ln[1:].strip() for ln in diff.splitlines() if ln.startswith("+") and not ln.startswith("+++")]
    return added[0] if added else ""


def config(name: str, target: Target) -> Path:
    path = WORK / f"{name}.toml"
    path.write_text(
        "[cosmic-ray]\n"
        f'module-path = "{target.module}"\n'
        f"timeout = {target.timeout}\n"
        "excluded-modules = []\n"
        f'test-command = "{target.command()}"\n'
        '[cosmic-ray.distributor]\nname = "local"\n'
    )
    return path


def _env() -> dict[str, str]:
    """The environment of every cosmic-ray run: this tree's ``src`` first on the path, so the tests
    import the module cosmic-ray mutates even when this tree is a copy of the editable install's."""
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])),
    }


def annotation_spans(source: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Where the module's annotations are, as ((line, column), (line, column)) spans.

    Under ``from __future__ import annotations`` an annotation is a string nobody evaluates (nothing
    in xenia calls ``get_type_hints``), so a mutant inside one (``str | None`` made ``str - None``)
    changes nothing a test or a client could see: such mutants are marked skipped, not run."""
    tree = ast.parse(source)
    future = any(
        isinstance(node, ast.ImportFrom)
        and node.module == "__future__"
        and any(a.name == "annotations" for a in node.names)
        for node in tree.body
    )
    if not future:
        return []
    found: list[ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns is not None:
            found.append(node.returns)
        elif isinstance(node, ast.arg) and node.annotation is not None:
            found.append(node.annotation)
        elif isinstance(node, ast.AnnAssign):
            found.append(node.annotation)
    return [((a.lineno, a.col_offset), (a.end_lineno or a.lineno, a.end_col_offset or 0)) for a in found]


def skip_annotations(target: Target, session: Path) -> int:
    """Mark the mutants inside annotations skipped (see :func:`annotation_spans`); returns how many."""
    from cosmic_ray.work_db import WorkDB, use_db  # type: ignore[import-untyped]
    from cosmic_ray.work_item import WorkerOutcome, WorkResult  # type: ignore[import-untyped]

    spans = annotation_spans((ROOT / target.module).read_text())
    with use_db(str(session), WorkDB.Mode.open) as db:
        inside = [item.job_id for item in db.work_items
                  if any(lo <= tuple(item.mutations[0].start_pos) < hi for lo, hi in spans)]  # fmt: skip
        db.set_multiple_results(inside, WorkResult(worker_outcome=WorkerOutcome.SKIPPED))
    return len(inside)


def forget_survivors(session: Path) -> int:
    """Drop the survivors' results, so that the next run tries them again (after new tests), and only
    them: mutants never run are parked (a NO_TEST result) until :func:`unpark` puts them back."""
    with sqlite3.connect(session) as db:
        db.execute(
            "INSERT INTO work_results (job_id, worker_outcome) SELECT job_id, 'NO_TEST' FROM work_items "
            "WHERE job_id NOT IN (SELECT job_id FROM work_results)"
        )
        return db.execute("DELETE FROM work_results WHERE test_outcome = 'SURVIVED'").rowcount


def unpark(session: Path) -> None:
    """Put back the mutants :func:`forget_survivors` parked: pending again for a later run."""
    with sqlite3.connect(session) as db:
        db.execute("DELETE FROM work_results WHERE worker_outcome = 'NO_TEST'")


def run(name: str, seconds: float, fresh: bool) -> dict[str, int]:
    target = MODULES[name]
    cfg, session = config(name, target), WORK / f"{name}.sqlite"
    if fresh or not session.exists():
        session.unlink(missing_ok=True)
        subprocess.run([sys.executable, "-m", "cosmic_ray.cli", "init", str(cfg), str(session)], cwd=ROOT, check=True,
                       env=_env())  # fmt: skip
        baseline = subprocess.run([sys.executable, "-m", "cosmic_ray.cli", "baseline", str(cfg)], cwd=ROOT, env=_env())
        if baseline.returncode != 0:
            raise SystemExit(f"{name}: the tests fail on the unmutated module; fix that first")
    skip_annotations(target, session)
    original = (ROOT / target.module).read_bytes()
    try:
        subprocess.run([sys.executable, "-m", "cosmic_ray.cli", "exec", str(cfg), str(session)], cwd=ROOT,
                       timeout=seconds, env=_env())  # fmt: skip
    except subprocess.TimeoutExpired:
        pass  # bounded: results so far are in the session; the module is restored below
    finally:
        (ROOT / target.module).write_bytes(original)
        unpark(session)
    return score(name, session)


def score(name: str, session: Path) -> dict[str, int]:
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome, WorkerOutcome

    counts = {"mutants": 0, "annotations": 0, "ran": 0, "killed": 0, "survived": 0, "equivalent": 0}
    with use_db(str(session), WorkDB.Mode.open) as db:
        counts["mutants"] = db.num_work_items
        for _item, result in db.completed_work_items:
            if result.worker_outcome == WorkerOutcome.SKIPPED:
                counts["annotations"] += 1
                continue
            counts["ran"] += 1
            if result.test_outcome != TestOutcome.SURVIVED:
                counts["killed"] += 1  # killed, or incompetent (the mutant does not even import)
                if equivalent(name, result.diff or ""):  # a test told it apart: the listing is wrong
                    print(f"{name}: listed as equivalent but killed:\n{result.diff}", file=sys.stderr)
            elif equivalent(name, result.diff or ""):
                counts["equivalent"] += 1
            else:
                counts["survived"] += 1
    return counts


def survivors(name: str) -> None:
    """Print the surviving mutants' diffs (what a new test must notice)."""
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome

    with use_db(str(WORK / f"{name}.sqlite"), WorkDB.Mode.open) as db:
        for item, result in db.completed_work_items:
            if (
                result.test_outcome == TestOutcome.SURVIVED
                and not equivalent(name, result.diff or "")
            ):
                print(f"--- {name} {item.job_id}\n{result.diff}")


def table(took: dict[str, float]) -> None:
    """The score of every module with a session in ``.mutation/`` (this run's and earlier ones')."""
    print(f"{'module':10} {'mutants':>8} {'annot.':>7} {'ran':>5} {'killed':>7} {'survived':>9} {'equiv.':>7} "
          f"{'score':>7}  {'':8} time")  # fmt: skip
    for name in MODULES:
        session = WORK / f"{name}.sqlite"
        if not session.exists():
            continue
        c = score(name, session)
        judged = c["killed"] + c["survived"]
        pct = f"{100 * c['killed'] / judged:.1f}%" if judged else "-"
        partial = "partial" if c["ran"] + c["annotations"] < c["mutants"] else "complete"
        spent = f"{took[name]:.0f} s" if name in took else "earlier"
        print(f"{name:10} {c['mutants']:8} {c['annotations']:7} {c['ran']:5} {c['killed']:7} {c['survived']:9} "
              f"{c['equivalent']:7} {pct:>7}  {partial:8} {spent}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", metavar="module", help=f"any of {', '.join(MODULES)}")
    parser.add_argument("--seconds", type=float, default=1800, help="time budget per module (default 1800)")
    parser.add_argument("--fresh", action="store_true", help="forget earlier sessions")
    parser.add_argument("--survivors", action="store_true", help="print surviving mutants instead of running")
    parser.add_argument("--retry-survivors", action="store_true",
                        help="run the survivors of earlier runs again (after tests were added)")  # fmt: skip
    args = parser.parse_args()
    # a stopped run (SIGTERM) still puts the module back: the ``finally`` in run() needs an exception
    signal.signal(signal.SIGTERM, lambda signo, frame: sys.exit(128 + signo))
    WORK.mkdir(exist_ok=True)
    names = args.modules or list(MODULES)
    if unknown := set(names) - set(MODULES):
        parser.error(f"unknown modules {sorted(unknown)}")
    if args.survivors:
        for name in names:
            survivors(name)
        return
    took: dict[str, float] = {}
    for name in names:
        started = time.monotonic()
        if args.retry_survivors and (WORK / f"{name}.sqlite").exists() and not args.fresh:
            forget_survivors(WORK / f"{name}.sqlite")
        run(name, args.seconds, args.fresh)
        took[name] = time.monotonic() - started
    table(took)


if __name__ == "__main__":
    main()
