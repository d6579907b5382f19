"""A per-reviewer summary of the journal, for supervisors: speed, ratio, reversals.

- ``decided``: pairs a reviewer accepted or rejected (a bulk decision counts every unit);
- ``active_minutes``: time between a reviewer's consecutive decisions, each gap capped at
  ``idle_seconds`` (a pause longer than that counts as that long), so a lunch break does not
  lower the speed and a burst of one-second decisions shows as a high rate;
- ``pairs_per_minute``: decided / active_minutes;
- ``accept_ratio``: accepted / decided;
- ``reversed``: decisions whose unit later got a different status or different sentences
  (by anyone: a new decision, an undo, a structural edit). Splitting or joining sentences
  inside a unit keeps the pair's text and so its decision: that is not a reversal.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

from workbench.project.history import STATUS_GROUPS
from workbench.project.model import JournalEntry

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = [
    "reviewer",
    "decided",
    "accepted",
    "rejected",
    "accept_ratio",
    "active_minutes",
    "pairs_per_minute",
    "reversed",
    "first",
    "last",
]


def _unit_state(view: object) -> tuple | None:
    if not isinstance(view, dict) or "status" not in view:
        return None
    return (view["status"], view.get("source_ids"), view.get("target_ids"))


def _states(side: dict) -> dict[str, tuple | None]:
    """Unit id -> (status, source ids, target ids) from a journal before/after mapping."""
    out = {}
    for key, view in side.items():
        if key == STATUS_GROUPS:
            for status, unit_ids in view:
                out.update({str(u): (status, None, None) for u in unit_ids})
        elif not key.startswith("sentence"):
            out[key] = _unit_state(view)
    return out


def _reverses(
    decided: str, before: tuple | None, after: tuple | None, *, ids_matter: bool = True
) -> bool:
    """Whether a change to a unit undoes a decision on it: the unit went, its status
    changed, or (``ids_matter``) its sentences changed (a structural edit)."""
    if after is None or after[0] != decided:
        return True
    if not ids_matter:
        return False
    return before is not None and after[1] is not None and after[1:] != before[1:]


def _keeps_pair_text(action: str) -> bool:
    """A sentence split or join (or its undo/redo): a unit it leaves decided reads the same."""
    words = action.split()
    words = words[1:] if words and words[0] in ("undo", "redo") else words
    return len(words) == 3 and words[0] in ("split", "join") and words[2].startswith("sentence")


def audit_summary(entries: Sequence[JournalEntry], idle_seconds: float = 300.0) -> pd.DataFrame:
    import pandas as pd

    per: dict[str, dict] = {}
    times: dict[str, list[float]] = {}
    standing: dict[str, tuple[str, tuple]] = {}  # unit -> (reviewer, state it was given)
    for entry in entries:
        if not isinstance(entry.after, dict) or not isinstance(entry.before, dict):
            continue
        is_decision = entry.action in ("decide", "decide many")
        ids_matter = not _keeps_pair_text(entry.action)
        befores = _states(entry.before)
        for key, after_state in _states(entry.after).items():
            before_state = befores.get(key)
            if before_state == after_state:
                continue
            held = standing.pop(key, None)
            if held is not None:
                if _reverses(held[1][0], before_state, after_state, ids_matter=ids_matter):
                    per[held[0]]["reversed"] += 1
                else:  # the decision stands
                    standing[key] = (held[0], after_state)
            if is_decision and after_state and after_state[0] in ("accepted", "rejected"):
                row = per.setdefault(
                    entry.reviewer,
                    {"decided": 0, "accepted": 0, "rejected": 0, "reversed": 0},
                )
                row["decided"] += 1
                row[after_state[0]] += 1
                standing[key] = (entry.reviewer, after_state)
        if is_decision:
            times.setdefault(entry.reviewer, []).append(entry.time)
    rows = []
    for reviewer, row in sorted(per.items()):
        stamps = sorted(times.get(reviewer, []))
        active = sum(min(b - a, idle_seconds) for a, b in pairwise(stamps))
        minutes = active / 60
        rows.append(
            {
                "reviewer": reviewer,
                **{k: row[k] for k in ("decided", "accepted", "rejected")},
                "accept_ratio": row["accepted"] / row["decided"] if row["decided"] else None,
                "active_minutes": round(minutes, 3),
                "pairs_per_minute": row["decided"] / minutes if minutes > 0 else None,
                "reversed": row["reversed"],
                "first": pd.to_datetime(stamps[0], unit="s") if stamps else None,
                "last": pd.to_datetime(stamps[-1], unit="s") if stamps else None,
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)
