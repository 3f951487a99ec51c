"""``python -m xenia.bindings.c OUT [--layout FILE] [--write-layout]``: generate the C binding into OUT."""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

from xenia.bindings.c import layout
from xenia.bindings.c.generate import generate
from xenia.datamodel import MODEL, Model


def load_model(spec: str | None) -> Model:
    """``module:attribute`` naming another datamodel (a later version, say); xenia's own by default."""
    if not spec:
        return MODEL
    module, _, attr = spec.partition(":")
    model = getattr(importlib.import_module(module), attr or "MODEL")
    if not isinstance(model, Model):
        raise SystemExit(f"{spec} is not a xenia.datamodel.Model")
    return model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m xenia.bindings.c", description=__doc__)
    parser.add_argument("out", type=Path, help="directory that receives include/ and src/")
    parser.add_argument("--layout", type=Path, help="the committed ABI layout of the record structs")
    parser.add_argument("--write-layout", action="store_true", help="record new classes and fields in --layout")
    parser.add_argument("--model", help="module:attribute of another datamodel to generate from")
    parser.add_argument("--no-reserve", action="store_true", help="plain record structs (for the ABI test's contrast)")
    args = parser.parse_args(argv)
    layouts = layout.load(args.layout)
    try:
        generate(args.out, layouts, load_model(args.model), reserve=not args.no_reserve)
    except layout.LayoutError as e:
        parser.error(str(e))
    if args.write_layout and args.layout is not None:
        layout.save(args.layout, layouts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
