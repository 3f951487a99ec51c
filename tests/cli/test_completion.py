"""``xenia completion bash``: the script loads in bash and completes commands, parameters and uuids."""

from __future__ import annotations

import subprocess

from tests.cli.conftest import Xe, xenia_argv


def complete(xe: Xe, line: str) -> list[str]:
    script = xe.ok("completion", "bash").out
    words = line.split(" ")
    program = f"""
{script}
COMP_LINE={line!r}
COMP_POINT=${{#COMP_LINE}}
COMP_WORDS=({' '.join(repr(w) for w in words)})
COMP_CWORD={len(words) - 1}
_xenia
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    alias = f"xenia() {{ {' '.join(xenia_argv())} \"$@\"; }}\n"
    proc = subprocess.run(["bash", "-c", alias + program], env=xe.env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return [w for w in proc.stdout.splitlines() if w]


def test_script_names_every_command(xe: Xe) -> None:
    script = xe.ok("completion", "bash").out
    assert "complete -F _xenia xenia" in script
    for name in ("vm-list", "vm-install", "vm-start", "vm-cd-insert", "task-cancel", "event-watch", "pool-list"):
        assert name in script


def test_completes_command_names(xe: Xe) -> None:
    assert set(complete(xe, "xenia vm-sh")) == {"vm-shutdown"}
    assert {"vm-list", "vm-install"} <= set(complete(xe, "xenia vm-"))


def test_completes_parameter_names(xe: Xe) -> None:
    assert set(complete(xe, "xenia vm-shutdown ")) == {"vm=", "uuid=", "name-label=", "force="}
    assert "new-name-label=" in complete(xe, "xenia vm-install t") + complete(xe, "xenia vm-install n")


def test_completes_uuids_from_the_daemon(xe: Xe) -> None:
    hosts = xe.ok("host-list", "--minimal").out.strip().split(",")
    # bash splits at '=' (COMP_WORDBREAKS), so the word being completed is the part after it
    assert complete(xe, "xenia host-param-list uuid=") == hosts


def test_only_bash(xe: Xe) -> None:
    assert xe("completion", "fish").rc == 2
