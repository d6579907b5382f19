"""`workbench plugins`: the scorers, exporters and translator backends found, and broken ones."""

from __future__ import annotations

import argparse

ORDER = 80  # position in `workbench --help`


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "plugins", help="list plugins (scorers, exporters, translators) and broken ones"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workbench.plugins import GROUPS, discover, plugin_rows

    rows = plugin_rows(discover())
    for group in GROUPS:
        print(f"{group.entry_point_group}: {group.description}")
        mine = [r for r in rows if r.group == group.key]
        if not mine:
            print("  (none)")
        for r in mine:
            origin = f"{r.distribution} {r.version}"
            mark = "" if r.status == "ok" else "BROKEN "
            print(f"  {r.name:<12} {origin:<28} {mark}{r.detail}")
    broken = sum(r.status != "ok" for r in rows)
    if broken:
        print(f"{broken} plugin(s) skipped; see above")
    return 0
