"""Every subcommand and every argument of `workbench` has a help text (issue 18)."""

from __future__ import annotations

import argparse

from workbench.cli import build_parser


def _walk(
    parser: argparse.ArgumentParser, path: str
) -> list[tuple[str, argparse.ArgumentParser, str | None]]:
    """(command path, parser, its help in the parent's list) for a parser and its descendants."""
    found: list[tuple[str, argparse.ArgumentParser, str | None]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            for name, sub in action.choices.items():
                found.append((f"{path} {name}", sub, helps.get(name)))
                found.extend(_walk(sub, f"{path} {name}"))
    return found


def missing_help(parser: argparse.ArgumentParser) -> list[str]:
    """Subcommands and arguments without a non-empty help text, as readable names."""
    missing = []
    for path, sub, listed_help in [("workbench", parser, "root"), *_walk(parser, "workbench")]:
        if not (listed_help or "").strip():
            missing.append(f"{path} (subcommand)")
        for action in sub._actions:
            if isinstance(action, argparse._SubParsersAction | argparse._HelpAction):
                continue
            if not (action.help or "").strip() or action.help == argparse.SUPPRESS:
                name = "/".join(action.option_strings) or action.dest
                missing.append(f"{path}: {name}")
    return missing


def test_walker_finds_a_missing_help() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    child = sub.add_parser("child", help="has help")
    child.add_argument("thing")
    sub.add_parser("bare")
    assert missing_help(parser) == ["workbench child: thing", "workbench bare (subcommand)"]


def test_every_subcommand_and_argument_has_help() -> None:
    assert missing_help(build_parser()) == []


def test_case_options_say_the_default_per_command() -> None:
    parser = build_parser()
    subs = {path: sub for path, sub, _ in _walk(parser, "workbench")}
    for command, default in [("workbench align", "lowercased"), ("workbench score", "as written")]:
        helps = {a.dest + str(a.option_strings): a.help for a in subs[command]._actions}
        text = " ".join(h or "" for k, h in helps.items() if k.startswith("lowercase"))
        assert "default" in text and default in text, (command, text)
