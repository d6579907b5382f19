from __future__ import annotations

import pytest

from workbench.align import Aligner, AlignerOptions, AlignmentUnit, make_scorer, parse_unit
from workbench.align.bleualign import best_chain
from workbench.align.evaluate import evaluate
from workbench.align.galechurch import gale_church
from workbench.errors import InputError
from workbench.textio import Document, read_document


def test_best_chain_is_increasing_and_maximal():
    points = [(0, 0, 1.0), (0, 2, 0.5), (1, 1, 1.0), (1, 0, 3.0), (2, 2, 1.0), (2, 1, 0.2)]
    # (1,0) 3.0 + (2,2) 1.0 = 4.0 beats (0,0)+(1,1)+(2,2) = 3.0
    assert best_chain(points, 3) == [(1, 0), (2, 2)]
    assert best_chain([], 5) == []


def test_gale_church_pairs_equal_lengths_and_merges():
    assert gale_church([10, 20, 30], [10, 20, 30]) == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    assert gale_church([40, 41], [80]) == [((0, 1), (0,))]


def test_parse_and_format():
    assert parse_unit("[0,1]:[2]") == ((0, 1), (2,))
    assert parse_unit("[]:[3]") == ((), (3,))
    assert str(AlignmentUnit((0, 1), (2,))) == "[0,1]:[2]"


def test_evaluate_conventions():
    gold = [((0,), (0,)), ((1,), (1, 2)), ((2,), ())]
    test = [((0,), (0,)), ((1,), (1,)), ((), (2,)), ((2,), ())]
    s = evaluate(gold, test)
    # precision over 4 test units: strict right are [0]:[0] and [2]:[]; lax adds [1]:[1].
    assert s.strict_precision == pytest.approx(2 / 4)
    assert s.lax_precision == pytest.approx(3 / 4)
    # recall over the 2 gold units with both sides: strict finds 1, lax finds 2.
    assert s.strict_recall == pytest.approx(1 / 2)
    assert s.lax_recall == pytest.approx(1.0)


SOURCE = [
    "Der Hund schläft im Haus .",
    "Die Katze spielt im Garten .",
    "Ein zusätzlicher Satz ohne Gegenstück .",
    "Das Wetter ist heute schön .",
    "Wir gehen morgen in die Berge .",
]
MT = [
    "Le chien dort dans la maison .",
    "Le chat joue dans le jardin .",
    "Une phrase supplémentaire sans équivalent .",
    "Le temps est beau aujourd'hui .",
    "Nous allons demain à la montagne .",
]
TARGET = [
    "Le chien dort dans la maison .",
    "Le chat joue dans le jardin .",
    "Le temps est beau aujourd'hui .",
    "Nous allons demain .",
    "à la montagne .",
]


def test_aligner_finds_pairs_merges_and_deletions():
    units = Aligner(make_scorer("bleu")).align(Document(SOURCE), Document(TARGET), [Document(MT)])
    keys = [u.key for u in units]
    assert ((0,), (0,)) in keys and ((1,), (1,)) in keys and ((3,), (2,)) in keys
    assert ((4,), (3, 4)) in keys  # 1-2 found by re-scoring the merged target
    assert ((2,), ()) in keys  # the extra sentence is left unaligned
    # every sentence appears exactly once, in order
    assert sorted(i for u in units for i in u.source) == list(range(5))
    assert sorted(j for u in units for j in u.target) == list(range(5))
    assert all(u.score is None or 0 < u.score <= 1 for u in units)


def test_articles_are_hard_boundaries():
    src = Document.from_lines(["a b c d", "x y", ".EOA", "e f g h", "p q r"])
    tgt = Document.from_lines(["e f g h", ".EOA", "a b c d", "x y", "z"])
    units = Aligner(make_scorer("bleu")).align(src, tgt, [src])
    # identical sentences sit in different articles: no unit may cross the boundary
    assert ((0,), (1,)) not in [u.key for u in units]
    for u in units:
        assert all(i < 2 for i in u.source) == all(j < 1 for j in u.target) or u.is_deletion


def test_translation_line_count_mismatch():
    with pytest.raises(InputError, match="4 lines but"):
        Aligner(make_scorer("bleu")).align(Document(SOURCE), Document(TARGET), [Document(MT[:4])])


def test_several_translations_intersect():
    aligner = Aligner(make_scorer("bleu"), AlignerOptions())
    one = aligner.align(Document(SOURCE), Document(TARGET), [Document(MT)])
    two = aligner.align(Document(SOURCE), Document(TARGET), [Document(MT), Document(MT)])
    assert [u.key for u in one] == [u.key for u in two]
    both = aligner.align(Document(SOURCE), Document(TARGET), [Document(MT)], [Document(SOURCE)])
    assert {u.key for u in both if not u.is_deletion} <= {u.key for u in one}


@pytest.mark.shared
@pytest.mark.parametrize(
    ("system", "reference"), [("europarlfull", 0.742), ("europarllight", 0.626), ("google", 0.780)]
)
def test_textberg_bleu_reaches_reference_bleualign(textberg, system, reference):
    from workbench.align.units import read_alignments

    units = Aligner(make_scorer("bleu", lowercase=True)).align(
        read_document(textberg / "dev.de"),
        read_document(textberg / "dev.fr"),
        [read_document(textberg / f"dev.mt-{system}.fr")],
    )
    test = [u.key for u in units if not u.is_deletion]
    scores = evaluate(read_alignments(textberg / "dev.gold"), test)
    assert scores.strict_f1 >= reference


def test_dp_method_finds_the_same_structure():
    units = Aligner(make_scorer("bleu"), AlignerOptions(method="dp")).align(
        Document(SOURCE), Document(TARGET), [Document(MT)]
    )
    keys = [u.key for u in units]
    assert ((0,), (0,)) in keys and ((3,), (2,)) in keys and ((4,), (3, 4)) in keys
    assert sorted(i for u in units for i in u.source) == list(range(5))


def test_dp_band_follows_anchors_across_a_large_insertion():
    # 40 target sentences inserted at the start: far outside a diagonal band of 25.
    body = [f"sentence number {k} about topic {k * 7} here ." for k in range(60)]
    noise = [f"unrelated filler line {k} ." for k in range(40)]
    src, tgt = Document(body), Document(noise + body)
    units = Aligner(make_scorer("bleu"), AlignerOptions(method="dp")).align(src, tgt, [src])
    pairs = {u.key for u in units if not u.is_deletion}
    assert sum(((k,), (k + 40,)) in pairs for k in range(60)) >= 58


def test_no_mt_uses_dp_with_a_bilingual_embedding():
    import numpy as np
    from gensim.models import KeyedVectors

    from workbench.scoring import AbleuScorer, WordSimilarity

    de = ["hund", "katze", "haus", "baum", "auto"]
    fr = ["chien", "chat", "maison", "arbre", "voiture"]
    kv = KeyedVectors(vector_size=5)
    eye = np.eye(5, dtype=np.float32)
    kv.add_vectors(de + fr, np.vstack([eye, eye]))  # each word next to its translation
    src = Document(["der hund", "die katze", "das haus", "der baum", "das auto"])
    tgt = Document(["le chien", "le chat", "la maison", "l' arbre", "la voiture"])
    scorer = AbleuScorer(WordSimilarity(kv), order=1)
    units = Aligner(scorer).align(src, tgt)
    assert [u.key for u in units] == [((k,), (k,)) for k in range(5)]
    assert all(u.method == "dp" for u in units)


def test_source_target_view_ties_sentences_by_shared_names_and_numbers():
    """An MT system that shares no word with the target leaves the dp with lengths only; the
    exact source–target view finds the pairs again through the names and numbers both share
    (here: the target opens with a caption the source does not have)."""
    source = Document(
        [
            "Paris 1889 Eiffel 300 Meter.",
            "Der Turm ist hoch und alt geworden.",
            "Berlin 1961 Mauer 155 km.",
            "Rom 753 Tiber Forum.",
        ]
    )
    target = Document(
        [
            "Une photo de la ville la nuit.",
            "Paris 1889 Eiffel 300 metres.",
            "La tour est haute et devenue vieille.",
            "Berlin 1961 mur 155 km.",
            "Rome 753 Tibre Forum.",
        ]
    )
    mt = Document(["Xx yy zz ww qq.", "Qq rr ss tt uu vv ww.", "Ww ee rr tt yy.", "Aa bb cc dd."])
    scorer = make_scorer("bleu", lowercase=True)
    with_view = [u.key for u in Aligner(scorer).align(source, target, [mt])]
    assert with_view == [((), (0,)), ((0,), (1,)), ((1,), (2,)), ((2,), (3,)), ((3,), (4,))]
    off = AlignerOptions(source_target_weight=0.0)
    without = [u.key for u in Aligner(scorer, off).align(source, target, [mt])]
    assert ((0,), (0,)) in without  # lengths alone pair the caption with sentence 0


@pytest.mark.shared
def test_source_target_view_helps_on_textberg(textberg):
    from workbench.align.units import read_alignments

    gold = read_alignments(textberg / "dev.gold")
    docs = [read_document(textberg / n) for n in ("dev.de", "dev.fr", "dev.mt-google.fr")]

    def f1(weight: float) -> float:
        options = AlignerOptions(source_target_weight=weight)
        units = Aligner(make_scorer("bleu", lowercase=True), options).align(*docs[:2], [docs[2]])
        return evaluate(gold, [u.key for u in units if not u.is_deletion]).strict_f1

    assert f1(0.2) > f1(0.0) + 0.01


def test_cross_lingual_scorer_replaces_the_exact_view():
    """With an MT system that shares nothing with the target and no name or number in common,
    only a bilingual similarity (a word and its translation) can say which target sentence is
    the extra one; the exact view cannot."""
    import numpy as np
    from gensim.models import KeyedVectors

    from workbench.scoring import AbleuScorer, WordSimilarity

    german = ["hund", "katze", "haus", "baum", "auto", "berg", "fluss", "see"]
    french = ["chien", "chat", "maison", "arbre", "voiture", "montagne", "fleuve", "lac"]
    kv = KeyedVectors(vector_size=len(german))
    eye = np.eye(len(german), dtype=np.float32)
    kv.add_vectors(german + french, np.vstack([eye, eye]))
    source = Document([f"{w} {w} {w} ist da" for w in german])
    # Every sentence has the same length: lengths say nothing; an extra sentence sits at 3.
    target = [f"{w} {w} {w} est la" for w in french]
    target.insert(3, "ciel ciel ciel est la")
    target = Document(target)
    mt = Document(["xx yy zz qq ww"] * len(german))
    gold = [((k,), (k if k < 3 else k + 1,)) for k in range(len(german))]
    cross = AbleuScorer(WordSimilarity(kv, threshold=0.5), order=1)
    scorer = make_scorer("bleu")
    with_cross = Aligner(scorer, cross_lingual=cross).align(source, target, [mt])
    assert [u.key for u in with_cross if not u.is_deletion] == gold
    assert ((), (3,)) in [u.key for u in with_cross]
    exact_only = Aligner(scorer).align(source, target, [mt])
    assert [u.key for u in exact_only if not u.is_deletion] != gold
    weightless = AlignerOptions(cross_lingual_weight=0.0, source_target_weight=0.0)
    off = Aligner(scorer, weightless, cross_lingual=cross).align(source, target, [mt])
    assert [u.key for u in off] == [
        u.key for u in Aligner(scorer, weightless).align(source, target, [mt])
    ]
