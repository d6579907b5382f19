"""The GUI's state without Qt: what the window's settings mean for the alignment pipeline."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbench.align.pipeline import AlignSettings

# The settings dialog's threshold when left alone: it stands for each scorer's own default
# (ABLEU over a given embedding: 0.5; self-training: its own thresholds).
DEFAULT_THRESHOLD = 0.5


def settings_for_alignment(values: Mapping[str, Any], translated: bool = True) -> AlignSettings:
    """:class:`AlignSettings` from the settings dialog's values (``load_settings``).

    The dialog's n-gram order is the order against a translation; a document without one is
    aligned on unigrams (word order differs between languages), as ``workbench align`` does.
    A threshold other than the default reaches ABLEU's self-training too, as ``--threshold``
    does on the command line."""
    scorer = str(values["scorer"])
    threshold = float(values["threshold"])
    return AlignSettings(
        scorer=scorer,
        embeddings=(values["embeddings"] or None) if scorer == "ableu" else None,
        threshold=None if threshold == DEFAULT_THRESHOLD else threshold,
        order=int(values["order"]) if translated else 1,
    )
