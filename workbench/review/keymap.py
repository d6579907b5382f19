"""Every review command with its default keys, and user keymaps over them (Qt-free).

A keymap is a plain JSON-able dict ``{command id: [key, ...]}`` holding only the commands whose
keys differ from the defaults, so that new defaults in a later version still reach users who
remapped something else. Keys are written the way ``QKeySequence`` reads them ("Ctrl+Up",
"Return", "A"); :func:`normalise_key` gives every spelling one canonical form so that conflicts
are found however a key was typed.

The structural defaults follow InterText, which many curators know: Enter / Backspace move the
text of the current side down / up, Ctrl+Up / Ctrl+Down shift a sentence into the previous unit
or pop one into the next, Ctrl+Enter / Ctrl+Backspace insert (split) or merge segments. Since
Enter moves text, accepting is on A (one key), rejecting on R or Delete.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from workbench.errors import InputError


@dataclass(frozen=True)
class Command:
    """A command a key can trigger: stable id, menu label, group and default keys."""

    id: str
    label: str
    group: str
    defaults: tuple[str, ...] = ()


COMMANDS: tuple[Command, ...] = (
    # review
    Command("review.accept", "Accept", "Review", ("A",)),
    Command("review.reject", "Reject", "Review", ("R", "Delete")),
    Command("review.skip", "Skip to next unit", "Review", ("Space", "J")),
    Command("review.back", "Back to previous unit", "Review", ("K", "Shift+Space")),
    Command("review.reset", "Reset to pending", "Review", ("U",)),
    # structure (InterText keys first, the review window's one-letter keys second)
    Command("structure.text_down", "Move text down (new unit below)", "Structure", ("Return",)),
    Command("structure.text_up", "Move text up (into previous unit)", "Structure", ("Backspace",)),
    Command("structure.shift_up", "Shift sentence up (current side)", "Structure", ("Ctrl+Up",)),
    Command("structure.pop_down", "Pop sentence down (current side)", "Structure", ("Ctrl+Down",)),
    Command("structure.source_up", "Move source sentence up", "Structure", ("Alt+Up",)),
    Command("structure.source_down", "Move source sentence down", "Structure", ("Alt+Down",)),
    Command("structure.target_up", "Move target sentence up", "Structure", ("Alt+Shift+Up",)),
    Command("structure.target_down", "Move target sentence down", "Structure", ("Alt+Shift+Down",)),
    Command("structure.split", "Insert segment (split unit)", "Structure", ("Ctrl+Return", "S")),
    Command("structure.merge", "Merge with next unit", "Structure", ("Ctrl+Backspace", "M")),
    # navigation
    Command("nav.next_pending", "Next pending unit", "Navigate", ("N",)),
    Command("nav.prev_pending", "Previous pending unit", "Navigate", ("Shift+N",)),
    Command("nav.next_low_confidence", "Next low-confidence unit", "Navigate", ("L",)),
    Command("nav.next_low_score", "Next low-score unit", "Navigate", ()),
    Command("nav.next_non_1_1", "Next unit that is not 1–1", "Navigate", ("O",)),
    Command("nav.next_empty_side", "Next unit with an empty side", "Navigate", ("E",)),
    Command("nav.next_bookmark", "Next bookmark", "Navigate", ("B",)),
    Command("nav.toggle_bookmark", "Bookmark with a note…", "Navigate", ("Ctrl+B",)),
    Command("nav.search", "Regex search and replace…", "Navigate", ("Ctrl+H",)),
    # edit
    Command("edit.undo", "Undo", "Edit", ("Ctrl+Z",)),
    Command("edit.redo", "Redo", "Edit", ("Ctrl+Shift+Z", "Ctrl+Y")),
    Command("edit.text", "Fix sentence text…", "Edit", ("F2",)),
    Command("edit.find", "Find…", "Edit", ("Ctrl+F",)),
    Command("edit.find_next", "Find next", "Edit", ("F3",)),
    Command("edit.find_previous", "Find previous", "Edit", ("Shift+F3",)),
    # file
    Command("file.new", "New project…", "File", ("Ctrl+N",)),
    Command("file.open", "Open project…", "File", ("Ctrl+O",)),
    Command("file.add_documents", "Add documents…", "File", ("Ctrl+Shift+O",)),
    Command("file.export", "Export pairs…", "File", ("Ctrl+E",)),
    Command("file.settings", "Settings…", "File", ("Ctrl+,",)),
    Command("file.quit", "Quit", "File", ("Ctrl+Q",)),
    # tools
    Command("tools.align", "Align again", "Tools", ("Ctrl+L",)),
    Command("tools.translate", "Translate with model…", "Tools", ("Ctrl+T",)),
    Command("tools.cancel", "Cancel background task", "Tools", ("Ctrl+.",)),
    Command("tools.shading", "Shade word matches", "Tools", ("Ctrl+W",)),
    Command("view.mt_column", "Show machine translation column", "View", ("Ctrl+Shift+M",)),
    Command("view.filter_document", "Filter: document", "View", ("Ctrl+1",)),
    Command("view.filter_status", "Filter: status", "View", ("Ctrl+2",)),
    Command("view.filter_confidence", "Filter: confidence", "View", ("Ctrl+3",)),
    Command("view.filter_shape", "Filter: unaligned", "View", ("Ctrl+4",)),
    Command("view.order", "Order", "View", ("Ctrl+5",)),
    Command("help.keys", "Keyboard shortcuts overlay", "Help", ("F1", "?")),
    Command("tools.bulk", "Bulk decisions…", "Tools", ("Ctrl+Shift+B",)),
    Command("tools.realign_from_here", "Re-align from here", "Tools", ("Ctrl+Shift+R",)),
    Command("tools.realign_selection", "Re-align selection", "Tools", ("Ctrl+Alt+R",)),
    Command("tools.audit", "Audit summary…", "Tools", ("Ctrl+Shift+U",)),
    Command("tools.keys", "Keyboard shortcuts…", "Tools", ("Ctrl+Shift+K",)),
    # neighbours, retraining and spot-checks (issues 7 and 8)
    Command("view.neighbours", "Neighbours panel", "View", ("Ctrl+Shift+N",)),
    Command("tools.retrain", "Retrain embedding from accepted pairs", "Tools", ("Ctrl+Shift+E",)),
    Command("tools.retrain_corpus", "Retrain with an extra corpus…", "Tools", ()),
    Command("spotcheck.new", "New spot-check sample…", "Spot-check", ("Ctrl+Alt+S",)),
    Command("spotcheck.judge", "Judge sample…", "Spot-check", ("Ctrl+J",)),
    Command("spotcheck.report", "Spot-check report…", "Spot-check", ("Ctrl+Shift+J",)),
)
BY_ID: dict[str, Command] = {c.id: c for c in COMMANDS}

_MODIFIERS = ("Ctrl", "Alt", "Shift", "Meta")
_ALIASES = {
    "enter": "Return",
    "return": "Return",
    "ret": "Return",
    "del": "Delete",
    "delete": "Delete",
    "esc": "Escape",
    "escape": "Escape",
    "bksp": "Backspace",
    "backspace": "Backspace",
    "space": "Space",
    "spc": "Space",
    "pgup": "PgUp",
    "pageup": "PgUp",
    "pgdown": "PgDown",
    "pagedown": "PgDown",
    "up": "Up",
    "down": "Down",
    "left": "Left",
    "right": "Right",
    "home": "Home",
    "end": "End",
    "tab": "Tab",
    "ins": "Ins",
    "insert": "Ins",
}
_MODIFIER_ALIASES = {"ctrl": "Ctrl", "control": "Ctrl", "alt": "Alt", "shift": "Shift"}
_MODIFIER_ALIASES |= {"meta": "Meta", "cmd": "Meta", "win": "Meta"}


class KeyConflictError(InputError):
    """A key is already bound to another command."""


def normalise_key(key: str) -> str:
    """One canonical spelling: modifiers in Ctrl, Alt, Shift, Meta order, named keys in
    QKeySequence's portable form ("ctrl+enter" -> "Ctrl+Return", "shift+ctrl+z" -> "Ctrl+Shift+Z")."""
    text = key.strip()
    if not text:
        raise InputError("empty key")
    if text == "+":
        return "+"
    parts = text.split("+")
    if text.endswith("++"):  # "Ctrl++": the key itself is "+"
        parts = [*text[:-2].split("+"), "+"]
    *mods, base = parts
    seen = set()
    for m in mods:
        name = _MODIFIER_ALIASES.get(m.strip().lower())
        if name is None:
            raise InputError(f"key {key!r}: unknown modifier {m.strip()!r}")
        seen.add(name)
    base = base.strip()
    if not base:
        raise InputError(f"key {key!r}: no key after the modifiers")
    base = _ALIASES.get(
        base.lower(), base.upper() if len(base) == 1 else base[0].upper() + base[1:]
    )
    return "+".join([*(m for m in _MODIFIERS if m in seen), base])


def default_keymap() -> dict[str, list[str]]:
    """Every command's default keys."""
    return {c.id: list(c.defaults) for c in COMMANDS}


def resolve(overrides: Mapping[str, Iterable[str]] | None = None) -> dict[str, list[str]]:
    """The full keymap: defaults with the user's ``overrides`` applied (unknown ids ignored,
    so a keymap saved by a newer version still loads). Keys an override took away from a
    default of another command are removed there: an override always wins."""
    keys = default_keymap()
    for cid, new in (overrides or {}).items():
        if cid in keys:
            keys[cid] = [normalise_key(k) for k in new]
    taken = {k: cid for cid in (overrides or {}) if cid in keys for k in keys[cid]}
    for cid, bound in keys.items():
        if cid not in (overrides or {}):
            keys[cid] = [k for k in bound if normalise_key(k) not in taken]
    return keys


def overrides_of(keymap: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    """The part of a full keymap that differs from the defaults (what to store)."""
    out = {}
    for cid, bound in keymap.items():
        if cid in BY_ID and [normalise_key(k) for k in bound] != [
            normalise_key(k) for k in BY_ID[cid].defaults
        ]:
            out[cid] = [normalise_key(k) for k in bound]
    return out


def owner_of(keymap: Mapping[str, Iterable[str]], key: str) -> str | None:
    """The command a key is bound to in a full keymap, or None."""
    wanted = normalise_key(key)
    for cid, bound in keymap.items():
        if any(normalise_key(k) == wanted for k in bound):
            return cid
    return None


def rebind(
    keymap: Mapping[str, Iterable[str]], command_id: str, keys: Iterable[str]
) -> dict[str, list[str]]:
    """A new full keymap with ``command_id`` bound to ``keys`` (replacing its keys).

    Raises :class:`KeyConflictError` naming the other command when a key is taken, and
    ``InputError`` for an unknown command or a key typed twice. The input is not changed.
    """
    if command_id not in BY_ID:
        raise InputError(f"unknown command {command_id!r}")
    wanted = [normalise_key(k) for k in keys]
    if len(set(wanted)) != len(wanted):
        raise InputError(f"{BY_ID[command_id].label}: the same key is given twice")
    out = {cid: [normalise_key(k) for k in bound] for cid, bound in keymap.items()}
    for key in wanted:
        other = owner_of({c: b for c, b in out.items() if c != command_id}, key)
        if other is not None:
            label = BY_ID[other].label if other in BY_ID else other
            raise KeyConflictError(
                f"{key} is already the key of “{label}”; "
                f"remove it there first, or choose another key"
            )
    out[command_id] = wanted
    return out


def conflicts(keymap: Mapping[str, Iterable[str]]) -> list[tuple[str, str, str]]:
    """(key, command, other command) for every key bound twice (a hand-edited file)."""
    seen: dict[str, str] = {}
    out = []
    for cid, bound in keymap.items():
        for key in bound:
            k = normalise_key(key)
            if k in seen and seen[k] != cid:
                out.append((k, seen[k], cid))
            seen.setdefault(k, cid)
    return out


def load_overrides(value: object) -> dict[str, list[str]]:
    """Overrides from what a settings store held: a dict, a JSON string, or nothing.

    Anything malformed is an ``InputError`` (the caller may fall back to the defaults)."""
    import json

    if value in (None, ""):
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise InputError(f"keymap setting is not JSON ({exc.msg})") from None
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, list) and all(isinstance(x, str) for x in v)
        for k, v in value.items()
    ):
        raise InputError("keymap setting must map command ids to lists of keys")
    full = resolve(value)
    clash = conflicts(full)
    if clash:
        key, a, b = clash[0]
        raise InputError(f"keymap setting binds {key} to both {a} and {b}")
    return overrides_of(full)
