"""TMX 1.4 through translate-toolkit: one ``<tu>`` per pair, a ``<tuv xml:lang=...>`` per side.

The header's ``srclang`` is the source language, ``datatype`` is ``plaintext`` and ``o-tmf``
names the format the pairs came from (``workbench`` for a project export, ``tsv`` for a
converted TSV...). With ``metadata=True`` each ``<tu>`` carries ``<prop type="x-document">``,
``x-source-ids``, ``x-target-ids``, ``x-score`` and ``x-scorer``; a field without a value (no
score, no document) has no ``<prop>`` at all, never an empty one.
Text is kept exactly (XML escapes ``&<>``, a carriage return is written ``&#13;``), except
that XML 1.0 cannot hold most control characters (U+0000-U+0008, U+000B, U+000C,
U+000E-U+001F, U+FFFE, U+FFFF): a pair containing one is refused with an error rather than
written with the character silently dropped.

Reading picks each side by ``xml:lang`` (the languages given, else the header's ``srclang``
for the source and the other ``<tuv>`` for the target; a region subtag may differ, ``de``
matches ``de-CH``; ISO 639-2/3 codes and ``_`` match too: ``deu``, ``ger`` and ``de_DE`` are
``de``, see :mod:`workbench.languages`), and takes a segment's text without inline native codes (``<bpt>``,
``<ept>``, ``<ph>``, ``<it>``, ``<ut>``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from io import BytesIO
from pathlib import Path

from workbench.corpus.fileio import atomic_output
from workbench.corpus.pair import PairList, ParallelPair, metadata_texts, parse_metadata
from workbench.corpus.unwritable import Unwritable
from workbench.errors import InputError
from workbench.languages import match_quality, normalize
from workbench.textio import read_bytes
from workbench.wording import count

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_INLINE_CODES = {"bpt", "ept", "ph", "it", "ut"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PROP_TYPES = {
    "document": "x-document",
    "source_ids": "x-source-ids",
    "target_ids": "x-target-ids",
    "score": "x-score",
    "scorer": "x-scorer",
}


class TmxFormat:
    name = "tmx"
    suffixes = (".tmx",)

    def write(
        self,
        pairs: Iterable[ParallelPair],
        path: str | Path,
        *,
        metadata: bool = False,
        source_lang: str = "und",
        target_lang: str = "und",
        original_format: str = "workbench",
        skip_invalid: bool = False,
        skipped: list[str] | None = None,
    ) -> int:
        from lxml import etree

        from workbench import __version__

        source_lang = normalize(source_lang) or "und"
        target_lang = normalize(target_lang) or "und"
        # Streamed: the head, then each <tu> serialised as it comes, then the tail, so memory
        # stays flat however many pairs (the layout is translate-toolkit's, as before).
        header = etree.Element("header")
        for name, value in (
            ("creationtool", "workbench"),
            ("creationtoolversion", __version__),
            ("segtype", "sentence"),
            ("o-tmf", original_format or "workbench"),
            ("adminlang", "en"),
            ("srclang", source_lang),
            ("datatype", "plaintext"),
        ):
            header.set(name, value)
        count = 0
        unwritable = Unwritable("TMX", skip_invalid, skipped)
        with atomic_output(path, "wb") as out:
            out.write(
                b'<?xml version="1.0" encoding="UTF-8"?>\n'
                b'<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx version="1.4">\n  '
                + etree.tostring(header, encoding="UTF-8")
                + b"\n  <body>\n"
            )
            for number, pair in enumerate(pairs, start=1):
                if unwritable.check(number, pair, _problem(pair, metadata)):
                    continue
                count += 1
                tu = _translation_unit(pair, source_lang, target_lang, metadata)
                out.write(b"    " + etree.tostring(tu, encoding="UTF-8") + b"\n")
            out.write(b"  </body>\n</tmx>\n")
            unwritable.finish(path)  # refusing here discards the temporary file
        return count

    def read(
        self,
        path: str | Path,
        *,
        encoding: str = "utf-8",
        source_lang: str | None = None,
        target_lang: str | None = None,
    ) -> list[ParallelPair]:
        # The XML declaration names the encoding; ``encoding`` is not needed for TMX.
        if isinstance(path, tuple):
            raise InputError("a TMX corpus is one file, not two")
        store = _parse(path)
        header = store.document.getroot().find("header")
        header_lang = normalize(header.get("srclang") if header is not None else None) or None
        pairs = PairList()
        found_langs: tuple[str, str] | None = None
        with_codes = 0  # segments whose inline codes were removed
        for number, unit in enumerate(store.units, start=1):
            element = unit.xmlelement
            where = f"{path}: line {element.sourceline}: translation unit {number}"
            tuvs = [(tuv.get(XML_LANG) or tuv.get("lang") or "", tuv) for tuv in element]
            tuvs = [(lang, tuv) for lang, tuv in tuvs if tuv.tag == "tuv"]
            source = _pick(tuvs, source_lang, exclude=None)
            if source is None and source_lang:
                raise InputError(f"{where}: no <tuv> for the source language {source_lang!r}")
            if (
                source is None
                and header_lang
                and (not target_lang or not match_quality(header_lang, target_lang))
            ):
                source = _pick(tuvs, header_lang, exclude=None)
            if source is None and tuvs:
                source = tuvs[0][1]
            target = _pick(tuvs, target_lang, exclude=source)
            if target is None and target_lang:
                raise InputError(f"{where}: no <tuv> for the target language {target_lang!r}")
            if target is None:
                target = next((tuv for _, tuv in tuvs if tuv is not source), None)
            if source is None or target is None:
                raise InputError(
                    f"{where}: has {len(tuvs)} <tuv>, a pair needs a source and a target"
                )
            if found_langs is None:
                langs = {id(tuv): lang for lang, tuv in tuvs}
                found_langs = (normalize(langs[id(source)]), normalize(langs[id(target)]))
            try:
                meta = _props(element)
            except ValueError as exc:
                raise InputError(f"{where}: {exc}") from None
            texts = []
            for tuv in (source, target):
                text, codes = _segment_text(tuv, where)
                texts.append(text)
                with_codes += codes
            pairs.append(ParallelPair(*texts, **meta))
        if not pairs:
            raise InputError(f"{path}: no translation units (empty corpus)")
        if with_codes:
            # The usual choice for plain-text MT corpora, but never a silent one.
            pairs.notes = (
                "inline codes (<bpt>, <ept>, <ph>, <it>, <ut>) removed from "
                f"{count(with_codes, 'segment')}, their text kept without them",
            )
        # The languages the file declares (its first unit's, else the header's srclang).
        source_found, target_found = found_langs or ("", "")
        return pairs.with_languages(source_found or header_lang or "", target_found)


def _problem(pair: ParallelPair, metadata: bool) -> str | None:
    """Why XML cannot hold the pair's text (a control character), or None."""
    texts = {"source": pair.source, "target": pair.target}
    if metadata:
        texts |= {"document": pair.document, "scorer": pair.scorer}
    for what, text in texts.items():
        found = _XML_ILLEGAL.search(text)
        if found:
            return (
                f"the {what} contains U+{ord(found.group()):04X}, a control character XML "
                "(TMX) cannot hold"
            )
    return None


def _translation_unit(
    pair: ParallelPair, source_lang: str, target_lang: str, metadata: bool
) -> object:
    """One ``<tu>``, indented for its place under ``<body>``."""
    from lxml import etree

    tu = etree.Element("tu", srclang=source_lang)
    tu.text = "\n      "
    children = []
    if metadata:  # TMX 1.4 orders a <tu>'s children: note*, prop*, tuv+.
        # A field without a value gets no <prop> (an empty x-score is not a number).
        for field, value in ((f, v) for f, v in metadata_texts(pair).items() if v):
            prop = etree.SubElement(tu, "prop", type=PROP_TYPES[field])
            prop.text = value
            children.append(prop)
    for lang, text in ((source_lang, pair.source), (target_lang, pair.target)):
        tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
        tuv.text = "\n        "
        seg = etree.SubElement(tuv, "seg")
        seg.text = text
        seg.tail = "\n      "
        children.append(tuv)
    for child in children:
        child.tail = "\n      "
    children[-1].tail = "\n    "
    return tu


def _parse(path: str | Path):  # -> translate-toolkit tmxfile
    from lxml import etree
    from translate.storage.tmx import tmxfile

    p = Path(path)
    data = read_bytes(p)
    if not data.strip():
        raise InputError(f"{p}: empty file, expected TMX")
    try:
        store = tmxfile(BytesIO(data))
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        raise InputError(
            f"{p}: not well-formed XML at line {line}, column {column}: {exc.msg}"
        ) from None
    except Exception as exc:  # any other failure of the toolkit on bad input
        raise InputError(f"{p}: not a TMX file ({type(exc).__name__}: {exc})") from None
    if store.document.getroot().tag != "tmx":
        raise InputError(f"{p}: not a TMX file (root element <{store.document.getroot().tag}>)")
    return store


def _pick(tuvs: list, lang: str | None, exclude: object) -> object | None:
    """The ``<tuv>`` for ``lang``: the same tag first, then the same language (any region,
    ISO 639-1/2/3 code or ``_`` separator)."""
    if not lang:
        return None
    ranked = [(match_quality(lang, code), tuv) for code, tuv in tuvs if tuv is not exclude]
    best = max((quality for quality, _ in ranked), default=0)
    if not best:
        return None
    return next(tuv for quality, tuv in ranked if quality == best)


def _segment_text(tuv: object, where: str) -> tuple[str, bool]:
    """A ``<seg>``'s text without inline codes, and whether it had any."""
    seg = tuv.find("seg")
    if seg is None:
        raise InputError(f"{where}: a <tuv> without <seg>")
    removed: list[str] = []
    return _text_without_codes(seg, removed), bool(removed)


def _text_without_codes(element: object, removed: list[str]) -> str:
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _INLINE_CODES:
            parts.append(_text_without_codes(child, removed))
        elif isinstance(child.tag, str):
            removed.append(child.tag)
        parts.append(child.tail or "")
    return "".join(parts)


def _props(element: object) -> dict:
    by_type = {prop.get("type"): prop.text or "" for prop in element.iterchildren("prop")}
    return parse_metadata(
        {field: by_type[kind] for field, kind in PROP_TYPES.items() if kind in by_type}
    )
