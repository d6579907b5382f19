"""Text fidelity through every import and export path, and the loose ends of earlier audits:
options without effect, refusals that were silent (docs/bad-input.md, "Round-trip audit")."""

from __future__ import annotations

import pytest

from workbench.cli import main


def _write(path, lines):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _dirs(tmp_path):
    words = "glacier summit ridge valley rope camp".split()  # noqa: SIM905
    src = [f"der {w} am tag {k} ." for k, w in enumerate(words)]
    tgt = [f"le {w} au jour {k} ." for k, w in enumerate(words)]
    _write(tmp_path / "src" / "d.txt", src)
    _write(tmp_path / "tgt" / "d.txt", tgt)
    _write(tmp_path / "mt" / "d.txt", tgt)
    return ["batch", "--dirs", str(tmp_path / "src"), str(tmp_path / "tgt")]


def _keyed_vectors(path):
    import numpy as np
    from gensim.models import KeyedVectors

    kv = KeyedVectors(vector_size=4)
    kv.add_vectors(["glacier", "glace"], np.eye(2, 4, dtype=np.float32))
    kv.save(str(path))
    return path


@pytest.mark.parametrize(
    ("options", "warning"),
    [
        (
            ["--scorer", "bleu", "--shared-model"],
            "--shared-model is not used by --scorer bleu (only self-trained ABLEU has a model "
            "to share)",
        ),
        (
            ["--scorer", "ableu", "--embeddings", "KV", "--shared-model"],
            "--shared-model is not used with --embeddings KV (that model is used, nothing is "
            "trained)",
        ),
    ],
)
def test_batch_shared_model_without_effect_is_one_warning(tmp_path, capsys, options, warning):
    """``batch --shared-model`` with BLEU or a given embedding was ignored without a word."""
    kv = str(_keyed_vectors(tmp_path / "w.kv"))
    options = [kv if o == "KV" else o for o in options]
    base = [*_dirs(tmp_path), "--mt-dir", str(tmp_path / "mt")]
    plain = [o for o in options if o != "--shared-model"]
    assert main([*base, *plain, "-o", str(tmp_path / "a")]) == 0
    without = capsys.readouterr().err.replace(str(tmp_path / "a"), "OUT").splitlines()
    assert main([*base, *options, "-o", str(tmp_path / "b")]) == 0
    err = capsys.readouterr().err.replace(str(tmp_path / "b"), "OUT").splitlines()
    assert err == [f"workbench: warning: {warning.replace('KV', kv)}", *without]
    assert (tmp_path / "a" / "d.txt.tsv").read_bytes() == (
        tmp_path / "b" / "d.txt.tsv"
    ).read_bytes()


def test_batch_embeddings_with_bleu_warn_as_align_does(tmp_path, capsys):
    kv = _keyed_vectors(tmp_path / "w.kv")
    base = [*_dirs(tmp_path), "--mt-dir", str(tmp_path / "mt"), "-o", str(tmp_path / "o")]
    assert main([*base, "--embeddings", str(kv)]) == 0
    assert capsys.readouterr().err.splitlines()[0] == (
        f"workbench: warning: --embeddings {kv} is not used by --scorer bleu (exact word "
        "matches); give --scorer ableu to use it"
    )


def _mt(tgt) -> str:
    """A perfect translation of the source: a copy of the target (the target itself is
    refused as --mt, a slip of the file order)."""
    mt = tgt.with_name("a.mt.fr")
    mt.write_bytes(tgt.read_bytes())
    return str(mt)


def _pair_docs(tmp_path):
    words = "glacier summit ridge valley rope camp".split()  # noqa: SIM905
    src = _write(tmp_path / "a.de", [f"der {w} am tag {k} ." for k, w in enumerate(words)])
    tgt = _write(tmp_path / "a.fr", [f"le {w} au jour {k} ." for k, w in enumerate(words)])
    return src, tgt


def test_with_confidence_in_jsonl_is_accepted_quietly(tmp_path, capsys):
    """jsonl always holds the confidence: the option changes nothing there, by design."""
    src, tgt = _pair_docs(tmp_path)
    base = ["align", str(src), str(tgt), "--mt", _mt(tgt), "--format", "jsonl"]
    assert main(base) == 0
    plain = capsys.readouterr()
    assert main([*base, "--with-confidence"]) == 0
    assert capsys.readouterr() == plain
    assert '"confidence": ' in plain.out


def test_with_confidence_in_ids_warns(tmp_path, capsys):
    """ids lines have no place for a confidence: the option was ignored without a word."""
    src, tgt = _pair_docs(tmp_path)
    base = ["align", str(src), str(tgt), "--mt", _mt(tgt)]
    assert main(base) == 0
    plain = capsys.readouterr()
    assert main([*base, "--with-confidence"]) == 0
    out = capsys.readouterr()
    assert out.out == plain.out
    assert out.err.splitlines() == [
        *plain.err.splitlines(),
        "workbench: warning: --with-confidence is not used by --format ids ([0]:[1] lines have "
        "no place for it); give --format tsv or jsonl",
    ]


def test_score_refuses_eoa_lines_on_different_lines(tmp_path, capsys):
    """``.EOA`` is skipped (not a sentence, Bleualign's convention), but where the two files
    had it on different lines the sentences were paired across the article end."""
    cands = _write(tmp_path / "mt.txt", ["one a", ".EOA", "two b", "three c"])
    refs = _write(tmp_path / "ref.txt", ["one a", "two b", ".EOA", "three c"])
    assert main(["score", str(cands), str(refs)]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"workbench: error: {refs}: its .EOA lines are not on the same lines as {cands}'s "
        "(article 1: 2 against 1 sentences); score needs line-aligned files\n"
    )
    same = _write(tmp_path / "same.txt", ["one a", ".EOA", "two b", "three c"])
    assert main(["score", str(cands), str(same)]) == 0
    assert capsys.readouterr().out == "1.000000\n1.000000\n1.000000\n"  # one line per sentence


def test_jsonl_object_with_a_key_twice_is_refused(tmp_path, capsys):
    """Python kept the last "source" of ``{"source": "a", "source": "b", ...}`` without a word
    (other tools keep the first): the pair read could be another tool's other pair."""
    corpus = tmp_path / "pairs.jsonl"
    corpus.write_text(
        '{"source": "Hallo.", "target": "Bonjour."}\n'
        '{"source": "Ja.", "target": "Oui.", "source": "Nein."}\n',
        encoding="utf-8",
    )
    before = corpus.read_bytes()
    assert main(["convert", str(corpus), str(tmp_path / "out.tsv")]) == 2
    assert capsys.readouterr().err == (
        f'workbench: error: {corpus}: line 2: the key "source" appears twice in one object '
        "(which value is meant is ambiguous); keep one\n"
    )
    assert not (tmp_path / "out.tsv").exists() and corpus.read_bytes() == before
    project = tmp_path / "p.wbproj"
    assert main(["project", "create", str(project)]) == 0
    capsys.readouterr()
    assert main(["project", "import", str(project), str(corpus)]) == 2
    assert 'line 2: the key "source" appears twice' in capsys.readouterr().err


def test_jsonl_alignment_unit_with_a_key_twice_is_refused(tmp_path, capsys):
    gold = _write(tmp_path / "gold", ["[0]:[0]", "[1]:[1]"])
    test = _write(
        tmp_path / "test.jsonl",
        [
            '{"source": [0], "target": [0], "confidence": 0.9}',
            '{"source": [1], "target": [1], "confidence": 0.9, "confidence": 0.1}',
        ],
    )
    assert main(["eval", "--gold", str(gold), "--test", str(test)]) == 2
    assert capsys.readouterr().err == (
        f'workbench: error: {test}:2: the key "confidence" appears twice in one object '
        "(which value is meant is ambiguous); keep one\n"
    )


@pytest.mark.parametrize(
    ("lines", "error"),
    [
        (
            ["[0]:[0]", "[1]:[1]", "[1,2]:[2]"],
            "3: source sentence 1 is already in a unit on line 2",
        ),
        (["[0]:[0]", "[1]:[0]"], "2: target sentence 0 is already in a unit on line 1"),
        (["[0,0]:[0]"], "1: source sentence 0 is already in a unit on this line"),
        (
            ['{"source": [0], "target": [0]}', '{"source": [1], "target": [0]}'],
            "2: target sentence 0 is already in a unit on line 1",
        ),
    ],
)
@pytest.mark.parametrize("which", ["gold", "test"])
def test_eval_refuses_a_sentence_in_two_units(tmp_path, capsys, lines, error, which):
    """``eval`` counted such a file as given: the doubled sentence's units both scored."""
    good = _write(tmp_path / "good", ["[0]:[0]", "[1]:[1]", "[2]:[2]"])
    bad = _write(tmp_path / "bad", lines)
    gold, test = (bad, good) if which == "gold" else (good, bad)
    assert main(["eval", "--gold", str(gold), "--test", str(test)]) == 2
    assert capsys.readouterr().err == (
        f"workbench: error: {bad}:{error}; each sentence belongs to one unit at most\n"
    )


def _project_pending(tmp_path, capsys):
    src, tgt = _pair_docs(tmp_path)
    project = tmp_path / "p.wbproj"
    assert main(["project", "create", str(project)]) == 0
    add = ["project", "add", str(project), str(src), str(tgt), "--mt", _mt(tgt)]
    assert main([*add, "--source-lang", "de", "--target-lang", "fr"]) == 0
    assert main(["project", "align", str(project)]) == 0
    capsys.readouterr()
    return project


@pytest.mark.parametrize(
    ("fmt", "out", "files"),
    [
        ("tsv", "out.tsv", ["out.tsv"]),
        ("tmx", "out.tmx", ["out.tmx"]),
        ("jsonl", "out.jsonl", ["out.jsonl"]),
        ("moses", "out", ["out.de", "out.fr", "out.meta"]),
        ("xliff", "out.xlf", ["out.xlf"]),
    ],
)
@pytest.mark.parametrize("existing", [True, False])
def test_export_of_no_pairs_is_refused_and_writes_nothing(
    tmp_path, capsys, fmt, out, files, existing
):
    """No accepted pair: the export replaced an existing file with an empty one (or made
    one) and said "0 pairs written"."""
    project = _project_pending(tmp_path, capsys)
    for name in files if existing else []:
        (tmp_path / name).write_text("a curator's earlier export\n", encoding="utf-8")
    args = ["project", "export", str(project), str(tmp_path / out), "--format", fmt, "--metadata"]
    assert main(args) == 2
    assert capsys.readouterr().err == (
        f"workbench: error: {tmp_path / out}: no pairs to export (no pair with both sides "
        "accepted); nothing was written\n"
    )
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("out"))
    assert left == (sorted(files) if existing else [])
    for name in left:
        assert (tmp_path / name).read_text(encoding="utf-8") == "a curator's earlier export\n"
    # Filters that choose none of the pairs there are give an empty file, as before
    # (tests/test_project_cli.py); with no pair to choose from they are refused too.
    assert main([*args, "--min-score", "0"]) == 2
    assert capsys.readouterr().err == (
        f"workbench: error: {tmp_path / out}: no pairs to export (no pair with both sides "
        "accepted); nothing was written\n"
    )
    assert main([*args, "--all"]) == 0


def test_export_where_every_pair_is_skipped_is_refused(tmp_path, capsys):
    project = tmp_path / "p.wbproj"
    src = _write(tmp_path / "a.de", ["eins\x0bzwei"])
    tgt = _write(tmp_path / "a.fr", ["un deux"])
    assert main(["project", "create", str(project)]) == 0
    assert main(["project", "add", str(project), str(src), str(tgt)]) == 0
    assert main(["project", "align", str(project)]) == 0
    out = tmp_path / "out.tmx"
    out.write_text("earlier\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["project", "export", str(project), str(out), "--all", "--skip-invalid"]) == 2
    assert capsys.readouterr().err == (
        f"workbench: error: {out}: no pairs to export: the one pair is one the format cannot hold "
        "(pair 1: the source contains U+000B, a control character XML (TMX) cannot hold "
        "(a.de, source sentence 1)); nothing was written\n"
    )
    assert out.read_text(encoding="utf-8") == "earlier\n"


@pytest.mark.parametrize(
    "command",
    [
        ["sample", "P", "--size", "2", "--scorer", "nope"],
        ["sample", "P", "--size", "2", "--scorer", "bleu", "--scorer", "nope"],
        ["report", "P", "--scorers", "bleu", "nope"],
    ],
)
def test_unknown_scorer_in_sample_and_report_is_one_line_before_any_work(tmp_path, capsys, command):
    """ "aligning document 1 with nope" came first, and bleu's run was computed and stored."""
    from workbench.project import Project

    project = _project_pending(tmp_path, capsys)
    with Project.open(project) as p:
        runs = [r.id for r in p.suggestion_runs(1)]
    assert main([str(project) if a == "P" else a for a in command]) == 2
    err = capsys.readouterr().err
    assert err == "workbench: error: unknown scorer 'nope'; available: " + err.split(": ")[-1]
    assert err.count("\n") == 1 and "bleu, ableu" in err
    with Project.open(project) as p:
        assert [r.id for r in p.suggestion_runs(1)] == runs


def _worktree_xliff():
    """This checkout's XLIFF plugin (the installed one may be another checkout's)."""
    import importlib.util
    from pathlib import Path

    pytest.importorskip("translate.storage.xliff")
    path = Path(__file__).parents[1] / "plugins/workbench-xliff/workbench_xliff/__init__.py"
    spec = importlib.util.spec_from_file_location("workbench_xliff_here", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.XliffExporter()


def test_xliff_round_trip_keeps_empty_targets_and_languages(tmp_path):
    """The reader takes translated units only, and an empty target was written unmarked: the
    pair was lost on re-import (12 pairs exported, 11 imported)."""
    from workbench.corpus import ParallelPair

    xliff = _worktree_xliff()
    pairs = [
        ParallelPair("Ja.", "Oui."),
        ParallelPair("Leer.", ""),
        ParallelPair("", "Vide."),
        ParallelPair("", ""),
        ParallelPair("  Rand ", "\tbord\u2028"),
    ]
    path = tmp_path / "out.xlf"
    assert xliff.write(pairs, path, source_lang="de", target_lang="fr-CH") == 5
    back = xliff.read(path)
    assert [(p.source, p.target) for p in back] == [(p.source, p.target) for p in pairs]
    # The languages come back too (an import dropped them: the re-export said und).
    assert (back.source_lang, back.target_lang) == ("de", "fr-CH")
    assert xliff.write(pairs, path) == 5
    back = xliff.read(path)
    assert (back.source_lang, back.target_lang) == ("", "")
    # A foreign file's untranslated units (no target, or an empty one not marked translated)
    # are still not pairs.
    foreign = tmp_path / "foreign.xlf"
    foreign.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">'
        '<file original="x" source-language="de" target-language="fr" datatype="plaintext">'
        "<body>"
        '<trans-unit id="1"><source>Ja.</source><target state="translated">Oui.</target>'
        "</trans-unit>"
        '<trans-unit id="2"><source>Neu.</source></trans-unit>'
        '<trans-unit id="3"><source>Neu.</source><target state="new"></target></trans-unit>'
        '<trans-unit id="4"><source>Leer.</source><target state="final"></target></trans-unit>'
        "</body></file></xliff>\n",
        encoding="utf-8",
    )
    assert [(p.source, p.target) for p in xliff.read(foreign)] == [
        ("Ja.", "Oui."),
        ("Leer.", ""),
    ]


def test_tmx_languages_und_without_any_and_given_by_options(tmp_path, capsys):
    """TMX gets ``und`` (undetermined) only where no language is known; --source-lang and
    --target-lang set them, and a TMX import reads them back."""
    src, tgt = _pair_docs(tmp_path)
    project = tmp_path / "p.wbproj"
    assert main(["project", "create", str(project)]) == 0
    assert main(["project", "add", str(project), str(src), str(tgt), "--mt", _mt(tgt)]) == 0
    assert main(["project", "align", str(project)]) == 0
    out = tmp_path / "out.tmx"
    export = ["project", "export", str(project), str(out), "--all"]
    assert main(export) == 0
    text = out.read_text(encoding="utf-8")
    assert 'srclang="und"' in text and 'xml:lang="de"' not in text
    assert main([*export, "--source-lang", "de", "--target-lang", "fr-CH"]) == 0
    text = out.read_text(encoding="utf-8")
    assert 'srclang="und"' not in text and 'xml:lang="und"' not in text
    assert text.count('xml:lang="de"') == text.count('xml:lang="fr-CH"') == 6
    again = tmp_path / "q.wbproj"
    assert main(["project", "create", str(again)]) == 0
    assert main(["project", "import", str(again), str(out), "--status", "accepted"]) == 0
    assert main(["project", "export", str(again), str(tmp_path / "again.tmx")]) == 0
    assert (tmp_path / "again.tmx").read_text(encoding="utf-8").count('xml:lang="fr-CH"') == 6


def test_ctranslate2_vocabulary_lines_end_at_line_feeds_only(tmp_path):
    """CTranslate2 reads a vocabulary file a token per ``\\n`` line; ``str.splitlines()``
    also broke at U+2028/U+0085, making two wrong tokens of one."""
    from workbench.translate.ct2 import _read_vocabulary

    (tmp_path / "target_vocabulary.txt").write_text(
        "<s>\n</s>\n\u2581a\u2028b\nc\x85d\n", encoding="utf-8"
    )
    assert _read_vocabulary(tmp_path, "target") == {"<s>", "</s>", "\u2581a\u2028b", "c\x85d"}


@pytest.mark.parametrize(
    ("translation", "what"),
    [("eins\nzwei", "holds a line break"), (" .EOA ", "is .EOA, an article end")],
)
def test_translate_refuses_a_translation_that_is_not_one_line(
    tmp_path, capsys, monkeypatch, translation, what
):
    """A translator (a plugin, a model) giving a line feed shifted every later line of the
    output: ``align --mt`` then paired the wrong sentences, or refused the line count."""

    class Breaking:
        identity = "breaking"

        def translate(self, sentences, *, progress=None, cancel=None):
            return [translation if s == "zwei" else s.upper() for s in sentences]

    monkeypatch.setattr(
        "workbench.cli.translate.open_translator_from_args", lambda args: Breaking()
    )
    src = _write(tmp_path / "a.de", ["eins", "zwei", "drei"])
    out = tmp_path / "a.mt"
    out.write_text("kept\n", encoding="utf-8")
    assert main(["translate", str(src), "--model", str(src), "-o", str(out)]) == 2
    assert capsys.readouterr().err == (
        f"workbench: error: {src}: the translation of sentence 1 ({translation!r}) {what}; one "
        "sentence per line cannot hold it, so nothing was written (the translations are in "
        "--cache if given)\n"
    )
    assert out.read_text(encoding="utf-8") == "kept\n"
    assert main(["translate", str(src), "--model", str(src)]) == 2
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("command", ["sample", "report"])
@pytest.mark.parametrize("kind", ["missing", "empty"])
def test_broken_embeddings_in_sample_and_report_is_one_line_before_any_work(
    tmp_path, capsys, command, kind
):
    project = _project_pending(tmp_path, capsys)
    kv = tmp_path / "w.kv"
    if kind == "empty":
        kv.write_bytes(b"")
    args = (
        ["sample", str(project), "--size", "2", "--scorer", "ableu"]
        if command == "sample"
        else ["report", str(project), "--scorers", "ableu"]
    )
    assert main([*args, "--embeddings", str(kv)]) == 2
    problem = "no such embedding file" if kind == "missing" else "the embedding file is empty"
    assert capsys.readouterr().err == f"workbench: error: {kv}: {problem}\n"
    # Nothing to compute (bleu's run is stored): the embedding is not needed, as before.
    assert main(["report", str(project), "--scorers", "bleu", "--embeddings", str(kv)]) == 0
