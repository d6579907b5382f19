"""XLIFF 1.2 export of aligned pairs: ``workbench convert … --to xliff``, project export.

The ``workbench.exporters`` entry point names :class:`XliffExporter`; discovery instantiates
it and registers it in ``workbench.corpus.EXPORTERS`` as ``xliff``. translate-toolkit (and
lxml) are imported when a file is written, so discovery stays cheap.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__version__ = "0.1.0"

XLIFF_12 = "urn:oasis:names:tc:xliff:document:1.2"
# Characters XML 1.0 cannot hold at all. XLIFF 1.2 has no lossless escape for them (2.0's
# <cp> does not exist there), so a pair containing one is refused, never silently changed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _problem(pair: Any, note: str) -> str | None:
    """Why XML cannot hold the pair (a control character in its text or note), or None."""
    for what, text in (("source", pair.source), ("target", pair.target), ("metadata", note)):
        found = _NOT_XML.search(text)
        if found:
            return (
                f"the {what} contains U+{ord(found.group()):04X}, a control character XML "
                "(XLIFF) cannot hold"
            )
    return None


def _store_class(source_lang: str, target_lang: str) -> Any:
    from translate.storage import xliff

    class Xliff12Unit(xliff.xliffunit):
        namespace = XLIFF_12

    class Xliff12File(xliff.xlifffile):
        # translate-toolkit writes XLIFF 1.1 by default; same layout, 1.2 namespace/version.
        XMLskeleton = xliff.xlifffile.XMLskeleton.replace("1.1", "1.2")
        namespace = XLIFF_12
        UnitClass = Xliff12Unit

    return Xliff12File(sourcelanguage=source_lang, targetlanguage=target_lang)


class XliffExporter:
    """Writes pairs as XLIFF 1.2 trans-units (source, target; state ``translated``).

    With ``metadata``, each unit gets a note with its document, sentence ids, score and scorer,
    which :meth:`read` gives back (:func:`parse_note`).
    """

    name = "xliff"
    suffixes = (".xlf", ".xliff")

    def write(
        self,
        pairs: Iterable[Any],
        path: str | Path,
        *,
        metadata: bool = False,
        source_lang: str = "und",
        target_lang: str = "und",
        skip_invalid: bool = False,
        skipped: list[str] | None = None,
    ) -> int:
        from workbench.corpus.unwritable import Unwritable
        from workbench.languages import normalize

        store = _store_class(normalize(source_lang) or "und", normalize(target_lang) or "und")
        unwritable = Unwritable("XLIFF", skip_invalid, skipped)
        count = 0
        for number, pair in enumerate(pairs, start=1):
            note = describe(pair) if metadata else ""
            if unwritable.check(number, pair, _problem(pair, note)):
                continue
            count += 1
            unit = store.addsourceunit(pair.source)
            unit.target = pair.target
            # translate-toolkit marks a non-empty target translated and approved by itself;
            # an empty one is a translation too (an empty sentence), and unmarked it read as
            # an untranslated unit, which the reader leaves out: the pair was lost.
            unit.marktranslated()
            unit.markapproved(True)
            unit.setid(str(count))
            if note:
                unit.addnote(note, origin="developer")
        unwritable.finish(path)
        node = store.getfilenode("NoName")
        if node is not None:  # name the <file> after its producer
            store.setfilename(node, "workbench")
        from workbench.corpus.fileio import atomic_output

        # Like the built-in formats: a failed export never leaves half a file behind.
        with atomic_output(path, "wb") as out:
            out.write(bytes(store))
        return count

    def read(
        self,
        path: str | Path,
        *,
        encoding: str = "utf-8",
        source_lang: str | None = None,
        target_lang: str | None = None,
    ) -> list[Any]:
        """Pairs (source, target) of every translated unit of an XLIFF 1.1/1.2 file, with the
        languages its ``<file>`` declares."""
        from translate.storage import xliff

        from workbench.corpus import ParallelPair
        from workbench.errors import InputError

        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
        try:
            store = xliff.xlifffile.parsestring(data)
        except Exception as exc:  # lxml's syntax errors and translate-toolkit's own
            raise InputError(f"{path}: not an XLIFF file ({type(exc).__name__}: {exc})") from None
        from workbench.corpus.pair import PairList
        from workbench.languages import normalize

        pairs = PairList(
            ParallelPair(str(u.source), str(u.target or ""), **_metadata(u))
            for u in store.units
            if not u.isheader() and u.source is not None and _translated(u)
        )
        # The languages the file declares (``und`` is none): a project import stores them
        # with the document, so that an export writes them again instead of ``und``.
        return pairs.with_languages(
            normalize(store.getsourcelanguage() or ""), normalize(store.gettargetlanguage() or "")
        )


def _translated(unit: Any) -> bool:
    """A unit with a target text, or an empty target marked translated (``state`` translated,
    final or signed-off): an empty sentence's translation. A unit without a target, or with
    an empty one in another state (new, needs-translation), is not translated yet."""
    if unit.target:
        return True
    node = unit.getlanguageNode(lang=None, index=1)
    return node is not None and node.get("state") in {"translated", "final", "signed-off"}


def describe(pair: Any) -> str:
    """A pair's provenance in one line (for the XLIFF note)."""
    parts = []
    if getattr(pair, "document", ""):
        parts.append(f"document: {pair.document}")
    for side in ("source_ids", "target_ids"):
        ids = getattr(pair, side, ())
        if ids:
            parts.append(f"{side}: {','.join(map(str, ids))}")
    score = getattr(pair, "score", None)
    if score is not None:
        # repr: the shortest text that reads back as the same float (was 4 decimals, which
        # the import could not give back exactly)
        parts.append(f"score: {score!r}" if isinstance(score, float) else f"score: {score}")
    if getattr(pair, "scorer", ""):
        parts.append(f"scorer: {pair.scorer}")
    return "; ".join(parts)


_FIELDS = ("document", "source_ids", "target_ids", "score", "scorer")


def parse_note(note: str) -> dict[str, Any]:
    """Inverse of :func:`describe`: ParallelPair keyword arguments, or ``{}`` for a note that
    is not one :func:`describe` wrote (a translator's note, another tool's). Read from the
    right, as a document name may hold ``; ``; kept only if describing the result gives the
    note back (older exports wrote the score with 4 decimals: read as written)."""
    from workbench.corpus.pair import parse_ids

    rest, found = "; " + note, {}
    for field in reversed(_FIELDS):
        head, sep, value = rest.rpartition(f"; {field}: ")
        if sep:
            found[field], rest = value, head
    if rest or not found:
        return {}
    try:
        out: dict[str, Any] = {}
        for field, value in found.items():
            if field in ("source_ids", "target_ids"):
                out[field] = parse_ids(value)
            elif field == "score":
                out[field] = float(value)
            else:
                out[field] = value
    except ValueError:
        return {}
    again = describe(_Fields(out))
    legacy = "score" in out and again.replace(
        f"score: {out['score']!r}", f"score: {out['score']:.4f}"
    )
    return out if note in (again, legacy) else {}


class _Fields:
    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


def _metadata(unit: Any) -> dict[str, Any]:
    """The metadata of a unit's note written by :func:`describe` (``--metadata``), if any."""
    for note in unit.getnotes(origin="developer").split("\n"):
        if found := parse_note(note.strip()):
            return found
    return {}
