"""Property-based tests (hypothesis) of the corpus formats: exact round trips of any text, and
import parsers that answer malformed input with InputError only."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.corpus import ParallelPair, read_pairs, write_pairs
from workbench.errors import InputError

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MOSES_ILLEGAL = re.compile("[\n\r\x00]")

texts = st.text(max_size=40)
pairs_text = st.lists(st.builds(ParallelPair, texts, texts), min_size=1, max_size=6)
pairs_meta = st.lists(
    st.builds(
        ParallelPair,
        texts,
        texts,
        document=texts,
        source_ids=st.lists(st.integers(0, 10**9), max_size=4).map(tuple),
        target_ids=st.lists(st.integers(0, 10**9), max_size=4).map(tuple),
        score=st.none() | st.floats(allow_nan=False, allow_infinity=False),
        scorer=texts,
    ),
    min_size=1,
    max_size=6,
)


def _round_trip(pairs, fmt, metadata):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("c" if fmt == "moses" else f"c.{fmt}")
        write_pairs(pairs, path, fmt, metadata=metadata, source_lang="en", target_lang="ko")
        return read_pairs(path, fmt, source_lang="en", target_lang="ko")


def _unrepresentable(pairs, fmt, metadata):
    """What each format documents it cannot hold (the writer must refuse it)."""
    if fmt == "tmx":
        fields = [
            (p.source, p.target) + ((p.document, p.scorer) if metadata else ()) for p in pairs
        ]
        return any(XML_ILLEGAL.search(t) for f in fields for t in f)
    if fmt == "moses":
        return any(MOSES_ILLEGAL.search(p.source + p.target) for p in pairs)
    return False


@pytest.mark.parametrize("fmt", ["tsv", "tmx", "moses", "jsonl"])
@SETTINGS
@given(pairs=pairs_text)
def test_any_text_round_trips_or_is_refused(fmt, pairs):
    if _unrepresentable(pairs, fmt, False):
        with pytest.raises(InputError, match=r"pair \d+: the"):
            _round_trip(pairs, fmt, False)
    else:
        assert _round_trip(pairs, fmt, False) == pairs


@pytest.mark.parametrize("fmt", ["tsv", "tmx", "moses", "jsonl"])
@SETTINGS
@given(pairs=pairs_meta)
def test_metadata_round_trips(fmt, pairs):
    if _unrepresentable(pairs, fmt, True):
        with pytest.raises(InputError):
            _round_trip(pairs, fmt, True)
    else:
        assert _round_trip(pairs, fmt, True) == pairs


# --- malformed input: InputError or a valid result, nothing else --------------------------


def _read_bytes_as(data: bytes, fmt: str):
    with tempfile.TemporaryDirectory() as folder:
        if fmt == "moses":
            (Path(folder) / "c.en").write_bytes(data)
            (Path(folder) / "c.ko").write_bytes(data[: len(data) // 2])
            path = Path(folder) / "c"
        else:
            path = Path(folder) / f"c.{fmt}"
            path.write_bytes(data)
        try:
            result = read_pairs(path, fmt, source_lang="en", target_lang="ko")
        except InputError as exc:
            assert str(exc).strip()
            return None
        assert result and all(isinstance(p, ParallelPair) for p in result)
        return result


@pytest.mark.parametrize("fmt", ["tsv", "tmx", "moses", "jsonl"])
@SETTINGS
@given(data=st.binary(max_size=300))
def test_random_bytes_give_input_error(fmt, data):
    _read_bytes_as(data, fmt)


@pytest.mark.parametrize("fmt", ["tsv", "tmx", "moses", "jsonl"])
@SETTINGS
@given(text=st.text(alphabet=st.sampled_from('\t\n\r\\"{}[]<>:,/=ab1 \x00\ufeff'), max_size=200))
def test_random_structured_text_gives_input_error(fmt, text):
    _read_bytes_as(text.encode("utf-8"), fmt)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["source", "target", "document", "source_ids", "score", "x"]), inner
        )
    ),
    max_leaves=8,
)


@SETTINGS
@given(records=st.lists(json_values, min_size=1, max_size=4))
def test_jsonl_with_arbitrary_json_values(records):
    data = "\n".join(json.dumps(r) for r in records).encode()
    _read_bytes_as(data, "jsonl")


VALID_TMX = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en"/>'
    b'<body><tu><prop type="x-score">0.5</prop><prop type="x-source-ids">1,2</prop>'
    b'<tuv xml:lang="en"><seg>a &amp; b</seg></tuv><tuv xml:lang="ko"><seg>\xea\xb0\x80</seg>'
    b"</tuv></tu></body></tmx>\n"
)


@SETTINGS
@given(cuts=st.lists(st.tuples(st.integers(0, len(VALID_TMX)), st.binary(max_size=3)), max_size=4))
def test_damaged_tmx_gives_input_error(cuts):
    data = VALID_TMX
    for position, replacement in cuts:
        data = data[:position] + replacement + data[position + 2 :]
    _read_bytes_as(data, "tmx")
