"""``xenia user add|passwd|del|list``: local users, kept by the daemon, changed only by root.

The daemon is found as every command finds it (``--url``, ``XENIA_URL``, the
config file, the local socket); ``--socket`` is kept as a name for the first.
On the local socket root needs no password; over TCP it logs in as root
(``--user``/``--password`` or their environment variables).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from xenia.cli.framework import open_session
from xenia.client import Failure, resolve_settings

ROLES = ["pool-admin", "pool-operator", "vm-power-admin", "vm-admin", "vm-operator", "read-only"]


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("user", help="manage local users (as root)")
    p.add_argument("--socket", default=None,
                   help="the daemon (default --url, $XENIA_URL, else ./var/xapi.sock, else /var/lib/xenia/xapi.sock)")  # fmt: skip
    users = p.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    add = users.add_parser("add", help="add a user")
    add.add_argument("name")
    add.add_argument("--role", default="read-only", choices=ROLES)
    # dest differs from the global --password (root's, to log in), which it must not overwrite
    add.add_argument("--password", dest="new_password", default=None, help="default: $XENIA_NEW_PASSWORD, else asked")
    passwd = users.add_parser("passwd", help="set a user's password")
    passwd.add_argument("name")
    passwd.add_argument("--password", dest="new_password", default=None)
    delete = users.add_parser("del", help="delete a user and end their sessions")
    delete.add_argument("name")
    users.add_parser("list", help="list users and roles")
    p.set_defaults(handler=run)


def _password(given: str | None) -> str:
    if given is not None:
        return given
    env = os.environ.get("XENIA_NEW_PASSWORD")
    if env is not None:
        return env
    return getpass.getpass("password: ")


def run(args: argparse.Namespace) -> int:
    settings = resolve_settings(url=args.socket or args.url, user=args.user, password=args.password,
                                config=args.config, originator="xenia-user")  # fmt: skip
    session = open_session(settings)
    try:
        if args.user_command == "add":
            session.xenapi.xenia.user_add(args.name, _password(args.new_password), args.role)
        elif args.user_command == "passwd":
            session.xenapi.xenia.user_passwd(args.name, _password(args.new_password))
        elif args.user_command == "del":
            session.xenapi.xenia.user_del(args.name)
        else:
            for name, role in sorted(session.xenapi.xenia.user_list().items()):
                print(f"{name}\t{role}")
    except Failure as e:
        print(f"xenia user: {' '.join(e.details)}", file=sys.stderr)
        return 1
    finally:
        session.close()
    return 0
