"""``xenia user add|passwd|del|list``: local users, through the daemon's local socket."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from xenia.client import Failure, Session

ROLES = ["pool-admin", "pool-operator", "vm-power-admin", "vm-admin", "vm-operator", "read-only"]


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("user", help="manage local users (run as root on the host)")
    p.add_argument("--socket", default=None,
                   help="the daemon's local socket (default $XENIA_URL, else ./var/xapi.sock, else /var/lib/xenia/xapi.sock)")  # fmt: skip
    users = p.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    add = users.add_parser("add", help="add a user")
    add.add_argument("name")
    add.add_argument("--role", default="read-only", choices=ROLES)
    add.add_argument("--password", default=None, help="default: $XENIA_NEW_PASSWORD, else asked")
    passwd = users.add_parser("passwd", help="set a user's password")
    passwd.add_argument("name")
    passwd.add_argument("--password", default=None)
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
    session = Session(args.socket)
    if not session.is_local:
        print("xenia user: needs the daemon's local socket", file=sys.stderr)
        return 2
    try:
        session.login("root", "")
        if args.user_command == "add":
            session.xenapi.xenia.user_add(args.name, _password(args.password), args.role)
        elif args.user_command == "passwd":
            session.xenapi.xenia.user_passwd(args.name, _password(args.password))
        elif args.user_command == "del":
            session.xenapi.xenia.user_del(args.name)
        else:
            for name, role in sorted(session.xenapi.xenia.user_list().items()):
                print(f"{name}\t{role}")
    except Failure as e:
        print(f"xenia user: {' '.join(e.details)}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"xenia user: cannot reach the daemon at {session.url}: {e}", file=sys.stderr)
        return 3
    finally:
        session.close()
    return 0
