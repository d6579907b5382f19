"""The scorer interface and the arithmetic shared by BLEU and ABLEU.

A scorer turns sentences into :class:`Segments` once (tokens, word ids, n-gram ids and their
in-sentence counts), computes sufficient statistics for sentence pairs (candidate and reference
length, matched and total n-grams per order), and derives scores from the statistics. Only the
matched counts differ between BLEU (exact, clipped) and ABLEU (similarity-weighted, clipped).
"""

from __future__ import annotations

import collections
import itertools
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from workbench.scoring.ngrams import ngram_tables
from workbench.scoring.tokenize import DEFAULT_TOKENIZER, get_tokenizer, tokenize_lines


@dataclass
class Segments:
    """Sentences of one side, tokenised and interned once, reused for every pair they are in.

    ``ngrams[k][s]`` holds the ids of sentence ``s``'s (k+1)-grams by start position and
    ``counts[k][s]`` how often each of them occurs in that sentence.
    """

    tokens: Sequence[list[str]]
    word_ids: list[np.ndarray]
    ngrams: list[list[np.ndarray]]
    counts: list[list[np.ndarray]]

    @property
    def lengths(self) -> np.ndarray:
        """Tokens per sentence (computed once; read-only)."""
        cached = self.__dict__.get("_lengths")
        if cached is None:
            cached = np.fromiter(map(len, self.word_ids), dtype=np.int64, count=len(self.word_ids))
            cached.flags.writeable = False
            self.__dict__["_lengths"] = cached
        return cached

    def __len__(self) -> int:
        return len(self.tokens)


class _SpanTokens(Sequence):
    """Tokens of runs of consecutive sentences, joined only when asked for."""

    def __init__(self, tokens: Sequence[list[str]], spans: np.ndarray):
        self._tokens, self._spans = tokens, spans

    def __len__(self) -> int:
        return len(self._spans)

    def __getitem__(self, index: int | slice) -> list[str] | list[list[str]]:  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        start, stop = self._spans[index]
        return [tok for sentence in self._tokens[start:stop] for tok in sentence]


@dataclass
class Statistics:
    """Per-pair sufficient statistics: arrays over pairs (``matches``/``totals``: pairs × order)."""

    cand_len: np.ndarray
    ref_len: np.ndarray
    matches: np.ndarray
    totals: np.ndarray


def bleu_from_statistics(stats: Statistics) -> np.ndarray:
    """BLEU per pair from its statistics, without smoothing (as Bleualign and the spec).

    A pair with no match at some order scores 0; BP = exp(min(0, 1 - r/c)).
    """
    matches = np.asarray(stats.matches, dtype=np.float64)
    totals = np.asarray(stats.totals, dtype=np.float64)
    ok = np.all((matches > 0) & (totals > 0), axis=-1)
    score = np.zeros(ok.shape)
    if not ok.any():
        return score
    # Only the pairs with a match at every order are computed (most pairs have none).
    m, t = matches[ok], np.broadcast_to(totals, matches.shape)[ok]
    cand = np.broadcast_to(np.asarray(stats.cand_len, dtype=np.float64), ok.shape)[ok]
    ref = np.broadcast_to(np.asarray(stats.ref_len, dtype=np.float64), ok.shape)[ok]
    logp = np.log(m) - np.log(t)
    bp = np.minimum(0.0, 1.0 - ref / np.where(cand > 0, cand, 1.0))
    score[ok] = np.exp(logp.mean(axis=-1) + bp)
    return score


def harmonic_mean(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(a + b > 0, 2 * a * b / (a + b), 0.0)


def _split(values: np.ndarray, lengths: np.ndarray) -> list[np.ndarray]:
    """``values`` cut into consecutive pieces of the given lengths."""
    ends = np.cumsum(lengths).tolist()
    starts = [0, *ends[:-1]] if ends else []
    return [values[a:b] for a, b in zip(starts, ends, strict=True)]


def _expanded(base: Segments, inverse: np.ndarray, tokens: Sequence[list[str]]) -> Segments:
    """Segments of ``tokens`` whose sentence ``s`` is ``base``'s sentence ``inverse[s]`` (the
    same arrays, not copies); remembers both, so that pair scores are computed once per
    distinct pair (:func:`distinct_pairs`)."""
    segments = _picked(base, inverse, tokens)
    segments.__dict__["_distinct"] = (base, inverse)
    return segments


def _mixed(count: int) -> np.ndarray:
    """``count`` well-mixed odd 64-bit numbers (splitmix64 of 1, 2, …; numpy.random is not
    imported at start-up)."""
    x = np.arange(1, count + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x | np.uint64(1)


# Multipliers of word ids by position for _repeats' sentence hashes.
_HASH_MULTIPLIERS = _mixed(4096)


def _repeats(segments: Segments) -> tuple[np.ndarray, np.ndarray] | None:
    """Where sentences of ``segments`` repeat earlier ones word for word: the first
    occurrences (in order) and each sentence's index among them; None when all differ.

    Sentences are compared by a hash of their word ids by position (a sum of products that
    wrap around 2**64) and their length; sentences with equal hashes are then compared."""
    n = len(segments)
    if n < 2:
        return None
    lengths = segments.lengths
    ids = segments.__dict__.get("_flat_ids")
    if ids is None:
        ids = np.concatenate([*segments.word_ids, np.zeros(0, dtype=np.int64)])
    ends = np.cumsum(lengths)
    position = np.arange(len(ids)) - np.repeat(ends - lengths, lengths)
    multipliers = _HASH_MULTIPLIERS
    if len(multipliers) <= int(lengths.max(initial=0)):
        multipliers = _mixed(int(lengths.max()) + 1)
    terms = (ids.astype(np.uint64) + np.uint64(1)) * multipliers[position]
    total = np.concatenate([np.zeros(1, np.uint64), np.cumsum(terms, dtype=np.uint64)])
    key = (total[ends] - total[ends - lengths]) * np.uint64(0x9E3779B97F4A7C15)
    key += lengths.astype(np.uint64)
    unique, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    if len(unique) == n:
        return None
    inverse = inverse.ravel()
    same_as = first[inverse]
    for s in np.flatnonzero(same_as != np.arange(n)).tolist():
        if not np.array_equal(segments.word_ids[s], segments.word_ids[same_as[s]]):
            # two sentences with one hash: compare them all by their words
            keys = [tuple(x.tolist()) for x in segments.word_ids]
            seen = dict(zip(dict.fromkeys(keys), itertools.count()))
            at = np.fromiter(map(seen.__getitem__, keys), np.int64, n)
            if len(seen) == n:
                return None
            return np.unique(at, return_index=True)[1], at  # ids in order of appearance
    order = np.argsort(first, kind="stable")
    rank = np.empty(len(first), dtype=np.int64)
    rank[order] = np.arange(len(first))
    return first[order], rank[inverse]


def _picked(
    segments: Segments, keep: np.ndarray, tokens: Sequence[list[str]] | None = None
) -> Segments:
    """The sentences ``keep`` of ``segments`` (the same arrays, not copies), with ``tokens``
    as their tokens when given."""
    at = keep.tolist()

    def pick(values: list[np.ndarray]) -> list[np.ndarray]:
        return [values[i] for i in at]

    picked = Segments(
        pick(list(segments.tokens)) if tokens is None else tokens,
        pick(segments.word_ids),
        [pick(x) for x in segments.ngrams],
        [pick(x) for x in segments.counts],
    )
    lengths = segments.lengths[keep]
    lengths.flags.writeable = False
    picked.__dict__["_lengths"] = lengths
    return picked


def distinct_pairs(
    cands: Segments, refs: Segments, pairs: np.ndarray
) -> tuple[Segments, Segments, np.ndarray, np.ndarray] | None:
    """Where a side holds repeated sentences (see :meth:`Scorer.prepare_tokens`): the distinct
    sentences of both sides, the distinct (candidate, reference) pairs among ``pairs`` in their
    terms, and for each of ``pairs`` its row among those; None when neither side repeats one.
    A pair's score depends only on the two sentences, so scoring the distinct pairs and
    indexing with the last array gives every pair's score."""
    c_base, c_at = cands.__dict__.get("_distinct", (cands, None))
    r_base, r_at = refs.__dict__.get("_distinct", (refs, None))
    if c_at is None and r_at is None:
        return None
    pc = pairs[:, 0] if c_at is None else c_at[pairs[:, 0]]
    pr = pairs[:, 1] if r_at is None else r_at[pairs[:, 1]]
    width = max(len(r_base), 1)
    keys, inverse = np.unique(pc * width + pr, return_inverse=True)
    return c_base, r_base, np.stack([keys // width, keys % width], 1), inverse.ravel()


def totals_for(lengths: np.ndarray, order: int) -> np.ndarray:
    """Number of n-grams per order in sentences of the given lengths: (len, order)."""
    n = np.arange(1, order + 1)
    return np.maximum(np.asarray(lengths)[:, None] - n[None, :] + 1, 0)


class Scorer(ABC):
    """A sentence-pair similarity for alignment. Subclasses define the matched n-gram counts."""

    name: str = "scorer"

    def __init__(self, order: int = 2, tokenize: str = DEFAULT_TOKENIZER, lowercase: bool = False):
        if order < 1:
            raise ValueError("n-gram order must be at least 1")
        self.order = order
        self.tokenize_name = tokenize
        self.lowercase = lowercase
        self._tokenize = self._own_tokenize = get_tokenizer(tokenize, lowercase)
        self._words: dict[str, int] = {}
        self._word_list: list[str] = []
        self._ngram_ids: list[Mapping] = ngram_tables(order)

    # -- preparation: done once per side, shared by every pair -------------------------------
    def tokenize(self, text: str) -> list[str]:
        return self._tokenize(text)

    def _tokenize_lines(self, sentences: Sequence[str]) -> list[list[str]]:
        """:meth:`tokenize` of each sentence (the built-in 13a over all of them at once)."""
        if self._tokenize is not self._own_tokenize:  # replaced on the instance
            return [self._tokenize(s) for s in sentences]
        return tokenize_lines(sentences, self.tokenize_name, self.lowercase)

    def prepare(self, sentences: Sequence[str]) -> Segments:
        distinct = dict(zip(dict.fromkeys(sentences), itertools.count()))
        own_rules = type(self).prepare_tokens is not Scorer.prepare_tokens  # a subclass's
        if len(distinct) == len(sentences):
            tokens = self._tokenize_lines(sentences)
            return self.prepare_tokens(tokens) if own_rules else self._prepare_lines(tokens)
        # a line met again is tokenised once
        tokens = self._tokenize_lines(list(distinct))
        if own_rules:
            return self.prepare_tokens([tokens[i] for i in map(distinct.__getitem__, sentences)])
        # and interned once: the distinct lines' segments (themselves expanded where two lines
        # give the same tokens) expanded to all lines, as prepare_tokens of all would give them
        line_at = np.fromiter(map(distinct.__getitem__, sentences), np.int64, len(sentences))
        base = self._prepare_lines(tokens)
        base, at = base.__dict__.get("_distinct", (base, None))
        inverse = line_at if at is None else at[line_at]
        return _expanded(base, inverse, [tokens[i] for i in line_at.tolist()])

    def prepare_tokens(self, token_lists: Sequence[Sequence[str]]) -> Segments:
        """Intern the words and n-grams of tokenised sentences, vectorised over all of them.

        Words and n-grams get ids in order of first appearance (as a sentence-by-sentence loop
        would give them); each position's in-sentence count comes from one sort of
        (sentence, n-gram) keys for the whole batch rather than one per sentence.
        """
        tokens = [t if type(t) is list else list(t) for t in token_lists]
        # A sentence met again (a short line, a heading, a pair list that repeats one side)
        # is interned once: the distinct sentences, in order of first appearance, give the
        # same word and n-gram ids as all of them would.
        keys = list(map(tuple, tokens))
        seen = dict(zip(dict.fromkeys(keys), itertools.count()))
        if len(seen) < len(tokens):
            inverse = np.fromiter(map(seen.__getitem__, keys), np.int64, len(keys))
            return _expanded(self._prepare_distinct(list(map(list, seen))), inverse, tokens)
        return self._prepare_distinct(tokens)

    def _prepare_lines(self, tokens: list[list[str]]) -> Segments:
        """:meth:`prepare_tokens` of distinct lines' tokens, which two lines rarely share: all
        are interned first (a repeated sentence adds no id), and repeats are then looked for
        by a hash of each sentence's word ids (:func:`_repeats`), not by a tuple of tokens
        per sentence; the segments are those prepare_tokens gives."""
        tokens = [t if type(t) is list else list(t) for t in tokens]
        segments = self._prepare_distinct(tokens)
        repeats = _repeats(segments)
        if repeats is None:
            return segments
        first, inverse = repeats
        return _expanded(_picked(segments, first), inverse, tokens)

    def _prepare_distinct(self, tokens: list[list[str]]) -> Segments:
        lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
        words, word_list = self._words, self._word_list
        size = len(word_list)
        # one pass in C: a word not met yet gets the next id (order of first appearance)
        ids_of = collections.defaultdict(itertools.count(size).__next__, words)
        flat = itertools.chain.from_iterable(tokens)
        ids = np.fromiter(map(ids_of.__getitem__, flat), dtype=np.int64, count=int(lengths.sum()))
        if len(ids_of) > size:
            new = list(itertools.islice(ids_of, size, None))
            words.update(zip(new, range(size, size + len(new)), strict=True))
            word_list.extend(new)
        return self._segments(tokens, ids, lengths)

    def prepare_spans(self, base: Segments, spans: np.ndarray) -> Segments:
        """Segments of runs of consecutive sentences of ``base``: row ``(start, stop)`` of
        ``spans`` is sentences start..stop−1 concatenated (n-grams across their boundaries
        included), as ``prepare_tokens`` of the joined tokens would give them.

        Words are taken from ``base`` (prepared by this scorer) rather than tokenised and
        interned again.
        """
        spans = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
        tokens = _SpanTokens(base.tokens, spans)
        if type(self).prepare_tokens is not Scorer.prepare_tokens:  # a subclass's own rules
            return self.prepare_tokens([tokens[i] for i in range(len(spans))])
        flat = base.__dict__.get("_flat_ids")
        if flat is None:
            flat = base.__dict__["_flat_ids"] = np.concatenate(
                [*base.word_ids, np.zeros(0, dtype=np.int64)]
            )
        cum = np.concatenate([[0], np.cumsum(base.lengths)]).astype(np.int64)
        first = cum[spans[:, 0]]
        lengths = cum[spans[:, 1]] - first
        offsets = np.cumsum(lengths) - lengths
        index = np.arange(int(lengths.sum()), dtype=np.int64) + np.repeat(first - offsets, lengths)
        return self._segments(tokens, flat[index], lengths)

    def _segments(
        self, tokens: Sequence[list[str]], ids: np.ndarray, lengths: np.ndarray
    ) -> Segments:
        """Segments from the sentences' word ids, concatenated, and their lengths."""
        n = len(lengths)
        starts = np.cumsum(lengths) - lengths
        sentence = np.repeat(np.arange(n, dtype=np.int64), lengths)
        position = np.arange(len(ids), dtype=np.int64) - starts[sentence]
        ngrams: list[list[np.ndarray]] = []
        counts: list[list[np.ndarray]] = []
        at_start = ids  # each token position's k-gram id (−1: none starts there)
        keyed: dict[int, tuple[np.ndarray, np.ndarray, int]] = {}
        for k in range(self.order):
            glen = np.maximum(lengths - k, 0)
            keep = np.flatnonzero(position < lengths[sentence] - k)  # an n-gram starts here
            if k == 0:
                gids = ids
            else:
                # key: the id of the k-gram starting here (its prefix) and the last word
                table = self._ngram_ids[k]
                keys = at_start[keep] * np.int64(1 << 32) + ids[keep + k]

                def grams(rows: np.ndarray, keep: np.ndarray = keep, k: int = k) -> np.ndarray:
                    return np.stack([ids[keep[rows] + d] for d in range(k + 1)], 1)

                gids = table.add(keys, grams)
                at_start = np.full(len(ids), -1, dtype=np.int64)
                at_start[keep] = gids
            owner = sentence[keep]
            if len(gids):
                width = int(gids.max()) + 1
                key = owner * width + gids
                distinct, inverse, cnt = np.unique(key, return_inverse=True, return_counts=True)
                pos_counts = cnt[inverse.ravel()]
                # each sentence's distinct n-grams and their counts, sorted: what BLEU's count
                # table (workbench.scoring.bleu._count_table) sorts the same keys for
                keyed[k] = (distinct, cnt, width)
            else:
                pos_counts = np.zeros(0, dtype=np.int64)
            ngrams.append(_split(gids, glen))
            counts.append(_split(pos_counts, glen))
        segments = Segments(tokens, _split(ids, lengths), ngrams, counts)
        lengths = lengths.copy()
        lengths.flags.writeable = False
        segments.__dict__["_lengths"] = lengths
        segments.__dict__["_flat_ids"] = ids
        segments.__dict__["_ngram_keys"] = keyed
        return segments

    @property
    def vocabulary(self) -> list[str]:
        return self._word_list

    # -- statistics and scores ---------------------------------------------------------------
    @abstractmethod
    def statistics(self, cands: Segments, refs: Segments, pairs: np.ndarray) -> Statistics:
        """Statistics of candidate ``pairs[:, 0]`` against reference ``pairs[:, 1]``."""

    def score_statistics(self, stats: Statistics) -> np.ndarray:
        """Scores (0–1) from per-pair statistics; BLEU without smoothing unless overridden."""
        return bleu_from_statistics(stats)

    def pair_scores(
        self, cands: Segments, refs: Segments, pairs: np.ndarray, symmetric: bool = True
    ) -> np.ndarray:
        """Scores of the given (candidate, reference) index pairs.

        ``symmetric`` takes the harmonic mean of the score in both directions, as Bleualign
        does, so that a short candidate inside a long reference is not favoured.
        """
        pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        if not len(pairs):
            return np.zeros(0)
        distinct = distinct_pairs(cands, refs, pairs)
        if distinct is not None:
            c_base, r_base, unique, at = distinct
            return self.score_pairs(c_base, r_base, unique, symmetric)[at]
        return self.score_pairs(cands, refs, pairs, symmetric)

    def score_pairs(
        self, cands: Segments, refs: Segments, pairs: np.ndarray, symmetric: bool
    ) -> np.ndarray:
        """:meth:`pair_scores` of a non-empty (n, 2) int64 array of pairs, each pair once: the
        step a scorer with a faster route for both directions overrides."""
        forward = self.score_statistics(self.statistics(cands, refs, pairs))
        if not symmetric:
            return forward
        backward = self.score_statistics(self.statistics(refs, cands, pairs[:, ::-1]))
        return harmonic_mean(forward, backward)

    def matrix(
        self, cands: Segments, refs: Segments, symmetric: bool = True, keep: int | None = None
    ) -> np.ndarray:
        """Dense candidates × references score matrix.

        ``keep`` is a hint that only each candidate's ``keep`` best references matter (the
        aligner's alternatives); a scorer may then skip pairs it can show are not among them.
        """
        n, m = len(cands), len(refs)
        grid = np.stack(np.meshgrid(np.arange(n), np.arange(m), indexing="ij"), -1).reshape(-1, 2)
        return self.pair_scores(cands, refs, grid, symmetric).reshape(n, m)

    def sentence_score(self, candidate: str, references: Sequence[str]) -> float:
        """Sentence score of one candidate against one or more references (one direction)."""
        return float(self.corpus_score([candidate], [[r] for r in references]))

    def corpus_score(self, candidates: Sequence[str], references: Sequence[Sequence[str]]) -> float:
        """Corpus score: statistics summed over segments, then one score.

        ``references[r][s]`` is reference stream ``r`` for segment ``s`` (sacrebleu's layout).
        With several references, matches take the best reference per n-gram and the reference
        length is the closest one (as sacrebleu).
        """
        cands = self.prepare(candidates)
        streams = [self.prepare(stream) for stream in references]
        idx = np.arange(len(candidates))
        pairs = np.stack([idx, idx], 1)
        per_ref = [self.statistics(cands, s, pairs) for s in streams]
        matches = self.combine_references(cands, streams, pairs, per_ref)
        cand_len = cands.lengths
        ref_lens = np.stack([s.lengths for s in streams], 1)
        # sacrebleu's closest reference length: smallest difference, then the shorter one.
        gap = np.abs(ref_lens - cand_len[:, None])
        best = np.argmin(gap * (ref_lens.max() + 1) + ref_lens, axis=1)
        closest = ref_lens[np.arange(len(idx)), best]
        stats = Statistics(
            cand_len=np.array([cand_len.sum()]),
            ref_len=np.array([closest.sum()]),
            matches=matches.sum(0, keepdims=True),
            totals=totals_for(cand_len, self.order).sum(0, keepdims=True),
        )
        return float(bleu_from_statistics(stats)[0])

    def combine_references(
        self,
        cands: Segments,
        streams: list[Segments],
        pairs: np.ndarray,
        per_ref: list[Statistics],
    ) -> np.ndarray:
        """Matched counts against several references at once (pairs × order)."""
        if len(streams) == 1:
            return per_ref[0].matches
        raise NotImplementedError

    def signature(self) -> str:
        lc = "yes" if self.lowercase else "no"
        return (
            f"{self.name}|nrefs:1|order:{self.order}|tok:{self.tokenize_name}|lc:{lc}|smooth:none"
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.signature()}>"


def make_scorer(
    name: str,
    embeddings: str | Path | object | None = None,
    order: int = 2,
    tokenize: str = DEFAULT_TOKENIZER,
    lowercase: bool = False,
    threshold: float | None = None,
) -> Scorer:
    """Build a scorer by name: ``bleu``, ``ableu`` (with a KeyedVectors file or object) or a
    plugin's (see :mod:`workbench.plugins`), through the registry
    :data:`workbench.scoring.registry.SCORERS`."""
    from workbench.errors import WorkbenchError
    from workbench.scoring.registry import SCORERS, available_scorers

    factory = SCORERS.get(name)
    if factory is None:
        names = available_scorers()  # discovers plugins, then looks again
        factory = SCORERS.get(name)
        if factory is None:
            raise WorkbenchError(f"unknown scorer {name!r}; available: {', '.join(names)}")
    try:
        scorer = factory(
            order=order,
            tokenize=tokenize,
            lowercase=lowercase,
            embeddings=embeddings,
            threshold=threshold,
        )
    except WorkbenchError:
        raise
    except Exception as exc:  # a plugin's bug must not surface as a traceback
        raise WorkbenchError(
            f"scorer {name!r} failed to start: {type(exc).__name__}: {exc}"
        ) from exc
    if not isinstance(scorer, Scorer):
        raise WorkbenchError(
            f"scorer {name!r} returned a {type(scorer).__name__}, not a workbench Scorer"
        )
    return scorer
