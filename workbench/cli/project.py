"""`workbench project create|add|import|align|realign|stats|export|audit`: project files."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from workbench.wording import count

ORDER = 40  # position in `workbench --help`

PROJECT_HELP = "the project file (.wbproj)"


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "project", help="create a project, add and align documents, export the pairs"
    )
    sub = p.add_subparsers(dest="project_command", metavar="ACTION", required=True)

    c = sub.add_parser("create", help="create an empty project file")
    c.add_argument("project", help="the new project file (e.g. corpus.wbproj)")
    c.add_argument("--reviewer", help="reviewer name recorded in the journal")
    c.set_defaults(func=run_create)

    a = sub.add_parser("add", help="add a document pair (and its translations)")
    a.add_argument("project", help=PROJECT_HELP)
    a.add_argument("source", help="source document")
    a.add_argument("target", help="target document")
    # Appended, so that a second --mt is refused rather than replacing the first (as
    # `workbench align --mt A --mt B` reads two, a user may give two here).
    a.add_argument(
        "--mt",
        action="append",
        metavar="FILE",
        help="translation of SOURCE (one line per sentence; one per document)",
    )
    a.add_argument(
        "--mt-reverse",
        action="append",
        metavar="FILE",
        help="translation of TARGET into the source language (one per document)",
    )
    a.add_argument(
        "--translator", default="file", help="translator identity of --mt files (default: file)"
    )
    a.add_argument("--name", default="", help="document name (default: the source file name)")
    a.add_argument("--source-lang", default="", help="source language code (e.g. de)")
    a.add_argument("--target-lang", default="", help="target language code (e.g. fr)")
    a.add_argument(
        "--format",
        choices=["lines", "text"],
        default="lines",
        help="lines (default): one sentence per line (.EOA = article end); text: raw text split "
        "into sentences (needs --source-lang/--target-lang)",
    )
    a.add_argument("--encoding", default="utf-8", help="encoding of the input files")
    a.set_defaults(func=run_add)

    i = sub.add_parser("import", help="add aligned pairs (TSV, TMX, Moses, JSONL) as a document")
    i.add_argument("project", help=PROJECT_HELP)
    i.add_argument("pairs", help="a pair file; format from its suffix, or --format")
    i.add_argument(
        "--format",
        dest="fmt",
        metavar="FMT",
        help="tsv, tmx, moses, jsonl or a plugin's format, e.g. xliff (default: from the "
        "file name under a .gz/.bz2/.xz/.zip suffix)",
    )
    i.add_argument("--name", default="", help="document name (default: the file name)")
    i.add_argument(
        "--source-lang",
        default=None,
        help="source language (e.g. de; default: what the file declares, e.g. a TMX header)",
    )
    i.add_argument(
        "--target-lang",
        default=None,
        help="target language (e.g. fr; default: what the file declares, e.g. TMX xml:lang)",
    )
    i.add_argument("--encoding", default="utf-8", help="encoding of the input (default UTF-8)")
    from workbench.cli.convert import add_tsv_escaped_option

    add_tsv_escaped_option(i)
    i.add_argument(
        "--status",
        choices=["pending", "accepted"],
        default="pending",
        help="decision given to the imported pairs (default: pending, to review)",
    )
    i.set_defaults(func=run_import)

    t = sub.add_parser(
        "translate",
        help="machine-translate documents' sources with a model; translations are cached in "
        "the project, so a sentence is never translated twice",
    )
    t.add_argument("project", help=PROJECT_HELP)
    t.add_argument("--doc", type=int, action="append", help="document id (default: all)")
    from workbench.cli.translate import add_model_options

    add_model_options(t)
    t.set_defaults(func=run_translate)

    al = sub.add_parser("align", help="compute suggestions (decided and edited units are kept)")
    al.add_argument("project", help=PROJECT_HELP)
    al.add_argument(
        "--doc",
        type=int,
        action="append",
        help="document id, repeatable (default: every document, except one holding imported "
        "pairs never aligned here: those are kept unless named)",
    )
    _scorer_options(al)
    al.set_defaults(func=run_align)

    r = sub.add_parser(
        "realign", help="re-align the pending units of a range around the decided and edited ones"
    )
    r.add_argument("project", help=PROJECT_HELP)
    r.add_argument("--doc", type=int, required=True, help="document id")
    r.add_argument(
        "--from",
        dest="start",
        type=int,
        metavar="UNIT",
        help="first unit to re-align: its 1-based row in document order, as the review window "
        "shows it (as `workbench realign --from`; default: the first)",
    )
    r.add_argument(
        "--to",
        dest="end",
        type=int,
        metavar="UNIT",
        help="last unit to re-align, a 1-based row, inclusive (default: the last)",
    )
    _scorer_options(r)
    r.set_defaults(func=run_realign)

    s = sub.add_parser("stats", help="documents, decisions and yield")
    s.add_argument("project", help=PROJECT_HELP)
    s.set_defaults(func=run_stats)

    e = sub.add_parser("export", help="write the accepted pairs")
    e.add_argument("project", help=PROJECT_HELP)
    e.add_argument("output", help="output file (Moses: OUT.<lang> files)")
    e.add_argument(
        "--format",
        dest="fmt",
        metavar="FMT",
        help="tsv, tmx, moses, jsonl or a plugin's exporter, e.g. xliff (see `workbench "
        "plugins`; default: from the output's suffix)",
    )
    e.add_argument(
        "--skip-invalid",
        action="store_true",
        help="leave out the pairs the format cannot hold (a line break in Moses, a control "
        "character in TMX/XLIFF) and count them in the summary, instead of writing nothing",
    )
    e.add_argument("--all", action="store_true", help="also pending pairs (never rejected ones)")
    e.add_argument(
        "--min-score",
        type=float,
        help="only pairs scoring at least this; pairs without a score (made by hand, imported) "
        "are left out, and counted on stderr by kind",
    )
    e.add_argument(
        "--min-confidence",
        type=probability,
        metavar="P",
        help="only pairs whose confidence (the aligner's estimated probability that the pair "
        "is exactly right, 0-1) is at least P; pairs without a confidence (made by hand, "
        "imported, or aligned before confidences were stored) are left out, and counted on "
        "stderr by kind",
    )
    e.add_argument(
        "--keep-empty",
        action="store_true",
        help="also pairs with an empty side (a blank line against a blank line or a "
        "sentence); by default they are left out and counted on stderr",
    )
    e.add_argument("--doc", type=int, nargs="+", help="only these document ids")
    e.add_argument("--metadata", action="store_true", help="document, ids, score, scorer too")
    e.add_argument(
        "--source-lang",
        help="source language written to the file (default: the documents' own; needed when "
        "they have none or differ)",
    )
    e.add_argument(
        "--target-lang",
        help="target language written to the file (default: the documents' own)",
    )
    e.set_defaults(func=run_export)

    au = sub.add_parser("audit", help="per-reviewer summary of the journal")
    au.add_argument("project", help=PROJECT_HELP)
    au.add_argument("--csv", metavar="FILE", help="write the summary as CSV")
    au.add_argument(
        "--idle",
        type=float,
        default=300.0,
        help="a pause between decisions counts as active time up to this many seconds (default 300)",
    )
    au.set_defaults(func=run_audit)


def probability(text: str) -> float:
    """An argparse type: a number in [0, 1] (a confidence threshold)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not a probability between 0 and 1")
    return value


def _scorer_options(p: argparse.ArgumentParser) -> None:
    """The scorer and search options of `workbench align` (one pipeline: AlignSettings)."""
    from workbench.cli.common import add_scorer_options, add_search_options

    add_scorer_options(p, lowercase_default=True, order_default=None, scorer_default=None)
    add_search_options(p)


def _read(path: str, fmt: str, lang: str, encoding: str) -> object:
    from workbench.corpus.sentences import read_sentences

    return read_sentences(path, fmt=fmt, language=lang or None, encoding=encoding)


def run_create(args: argparse.Namespace) -> int:
    from workbench.project import Project

    settings = {"reviewer": args.reviewer} if args.reviewer else None
    Project.create(args.project, settings=settings).close()
    print(f"created {args.project}")
    return 0


def run_add(args: argparse.Namespace) -> int:
    from pathlib import Path

    from workbench.cli.common import check_translations_are_not_documents
    from workbench.cli.project_notes import same_document_note
    from workbench.errors import InputError
    from workbench.project import Project
    from workbench.textio import check_parallel, read_document

    if args.format == "text" and not (args.source_lang and args.target_lang):
        raise InputError(
            "--format text splits raw text into sentences by language; "
            "pass --source-lang and --target-lang (e.g. --source-lang de --target-lang fr)"
        )
    for option, files in (("--mt", args.mt), ("--mt-reverse", args.mt_reverse)):
        if files and len(files) > 1:
            raise InputError(
                f"{files[-1]}: {option} given {len(files)} times, and a project document is aligned "
                f"with one translation per side (only the last one counted); give "
                f"one (`workbench align {option} A {option} B` aligns with several)"
            )
    check_translations_are_not_documents(
        args.source, args.target, args.mt or [], args.mt_reverse or []
    )
    source = _read(args.source, args.format, args.source_lang, args.encoding)
    target = _read(args.target, args.format, args.target_lang, args.encoding)
    mt = read_document(args.mt[0], args.encoding) if args.mt else None
    mt_reverse = read_document(args.mt_reverse[0], args.encoding) if args.mt_reverse else None
    # Checked before anything is stored: a translation that does not fit adds nothing.
    if mt is not None:
        check_parallel(source, mt)
    if mt_reverse is not None:
        check_parallel(target, mt_reverse, what="reverse translation")
    with Project.open(args.project) as project, project.transaction():
        # One transaction: a document is never stored without the translations given with it.
        doc_id = project.add_document(
            source,
            target,
            name=args.name or Path(args.source).name,
            source_lang=args.source_lang,
            target_lang=args.target_lang,
        )
        if mt is not None:
            project.set_translation(doc_id, mt.sentences, args.translator, "source")
        if mt_reverse is not None:
            project.set_translation(doc_id, mt_reverse.sentences, args.translator, "target")
        same = same_document_note(project, doc_id)
    print(f"document {doc_id}: {len(source)} source, {count(len(target), 'target sentence')}")
    if same:
        print(same, file=sys.stderr)
    return 0


def run_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from workbench.cli.common import print_read_notes
    from workbench.cli.project_notes import same_document_note
    from workbench.corpus import read_pairs
    from workbench.project import Project

    pairs = read_pairs(
        args.pairs,
        args.fmt,
        encoding=args.encoding,
        source_lang=args.source_lang,
        target_lang=args.target_lang,
        tsv_escaped=args.tsv_escaped,
    )
    with Project.open(args.project) as project:
        doc_id = project.import_pairs(
            pairs,
            name=args.name or Path(args.pairs).name,
            # The languages given, else those the file declares (normalised BCP 47 tags).
            source_lang=pairs.source_lang,
            target_lang=pairs.target_lang,
            status=args.status,
        )
        same = same_document_note(project, doc_id)
    print_read_notes(args.pairs, pairs)  # after the work: a refusal stays one line
    if same:
        print(same, file=sys.stderr)
    print(f"document {doc_id}: {count(len(pairs), 'pair')} ({args.status})")
    return 0


def run_translate(args: argparse.Namespace) -> int:
    from workbench.cli.translate import ProgressBar, open_translator_from_args
    from workbench.errors import InputError
    from workbench.project import Project
    from workbench.translate import translate_document

    with Project.open(args.project) as project:
        docs = args.doc or [d.id for d in project.documents()]
        # A clear error for a wrong id before the model loads; one model per language pair,
        # checked against (and choosing tokens or packages by) the documents' languages.
        languages = {d: project.document(d) for d in docs}
        translators: dict[tuple[str, str], object] = {}
        for doc_id in docs:
            pair = (languages[doc_id].source_lang, languages[doc_id].target_lang)
            if pair not in translators:
                translators[pair] = open_translator_from_args(args, *pair)
        if len(set(docs)) > 1 and any(
            getattr(t, "line_aligned", False) for t in translators.values()
        ):
            # One file for every document: another document with as many sentences silently
            # got this one's translation; one with a different count stopped the command
            # after the first documents' translations were stored.
            raise InputError(
                f"{args.model}: a file of translations is line-aligned with one document, and "
                f"{len(set(docs))} documents would get it; give --doc ID"
            )
        for doc_id in docs:
            d = languages[doc_id]
            translator = translators[(d.source_lang, d.target_lang)]
            before = len(project.translation_cache)
            bar = ProgressBar()
            try:
                result = translate_document(
                    project.source(doc_id),
                    translator,
                    cache=project.translation_cache,
                    progress=bar.update,
                )
            finally:
                bar.close()
            project.set_translation(doc_id, result.sentences, translator.identity, "source")
            new = len(project.translation_cache) - before
            print(
                f"document {doc_id}: {count(len(result.sentences), 'sentence')}, "
                f"{new} newly translated"
            )
    return 0


def run_align(args: argparse.Namespace) -> int:
    from workbench.cli.common import progress_printer
    from workbench.project import Project

    with Project.open(args.project) as project:
        docs = args.doc or [d.id for d in project.documents()]
        for doc_id in docs:
            project.document(doc_id)  # a clear error for a wrong id before any work
        if not args.doc:  # imported pairs are someone's alignment: replaced only when asked
            kept = [d for d in docs if project.holds_imported_pairs(d)]
            for doc_id in kept:
                print(f"document {doc_id}: imported pairs kept (align them with --doc {doc_id})")
            docs = [d for d in docs if d not in kept]
        settings = _settings_saying_scorer(args, project) if docs else None
        # Only translated documents use the project model: aligning untranslated ones alone
        # trained it (or said "reused") for nothing.
        translated = any(
            project.translation(d, side) is not None for d in docs for side in ("source", "target")
        )
        shared = _project_model(project, settings) if translated else None
        for doc_id in docs:
            imported = project.count_units(doc_id, status="pending", method="imported")
            run_id = project.align(
                doc_id, settings, progress=progress_printer(f"document {doc_id}"), shared=shared
            )
            pending = project.count_units(doc_id, status="pending")
            total = project.count_units(doc_id)
            print(f"document {doc_id}: run {run_id}, {count(total, 'unit')} ({pending} pending)")
            # Named with --doc, imported pairs are replaced (someone's alignment): said, not
            # silent. Accepted, rejected and edited ones are kept as ever.
            replaced = imported - project.count_units(doc_id, status="pending", method="imported")
            if replaced:
                print(
                    f"document {doc_id}: {count(replaced, 'pending imported pair')} replaced by "
                    "the alignment (accepted, rejected and edited ones kept)"
                )
    return 0


def _project_model(project: Any, settings: Any) -> Any:
    """Self-trained ABLEU: the project's model, loaded or trained once for every document."""
    from workbench.cli.common import progress_printer
    from workbench.project.project_model import prepare

    model = prepare(project, settings)
    if model is None:
        return None
    if model.shared is None:
        bar = progress_printer("project model")
        shared = model.get((lambda f: bar(round(100 * f), 100)) if bar else None)
        model.save(project)
        what = f"trained on {len(model.corpus)} translated document(s)"
    else:
        shared = model.shared
        what = "reused (the texts have not changed since it was trained)"
    print(f"project model: {what}", file=sys.stderr)
    return shared


def run_realign(args: argparse.Namespace) -> int:
    from workbench.cli.project_notes import imported_kept_note
    from workbench.cli.realign import row_position
    from workbench.project import Project

    with Project.open(args.project) as project:
        project.document(args.doc)  # a clear error for a wrong id before any work
        start = row_position(project, args.doc, args.start)
        end = row_position(project, args.doc, args.end)
        made = project.realign(
            args.doc, start, end, _settings_saying_scorer(args, project, "re-aligning")
        )
        note = imported_kept_note(project, args.doc)
    print(f"document {args.doc}: {count(made, 'pending unit')} re-aligned")
    if note:
        print(note, file=sys.stderr)
    return 0


def _settings_saying_scorer(args: argparse.Namespace, project: Any, verb: str = "aligning") -> Any:
    """The alignment settings; without --scorer, bleu (the default) and a note saying so."""
    from workbench.cli.align import settings_from_args
    from workbench.cli.common import scorer_note

    given, args.scorer = args.scorer, args.scorer or "bleu"
    if note := scorer_note(given, args.scorer, project.get_setting("scorer"), verb):
        print(note, file=sys.stderr)
    return settings_from_args(args)


def _sides(s: Any) -> str:
    """Each side's yield: sentences in accepted pairs / the side's sentences."""
    tgt = s.aligned_target / s.total_target if s.total_target else 0.0
    return f"{s.source_yield:.1%} / {tgt:.1%}"


def run_stats(args: argparse.Namespace) -> int:
    from workbench.project import Project

    with Project.open(args.project, read_only=True) as project:
        # yield: sentences of both sides in accepted pairs / all sentences, as the review window's
        # status bar and `workbench report` (it was the source side's alone under the same
        # name); then each side's.
        head = ("doc", "name", "src", "tgt", "units", "accepted", "rejected", "pending", "yield")
        rows = [(*head, "yield src / tgt")]
        for d in project.documents():
            s = project.stats(d.id)
            rows.append(
                (
                    str(d.id),
                    d.name,
                    str(d.n_source),
                    str(d.n_target),
                    str(s.units),
                    str(s.accepted),
                    str(s.rejected),
                    str(s.pending),
                    f"{s.overall_yield:.1%}",
                    _sides(s),
                )
            )
        s = project.stats()
        rows.append(
            (
                "all",
                "",
                str(s.total_source),
                str(s.total_target),
                str(s.units),
                str(s.accepted),
                str(s.rejected),
                str(s.pending),
                f"{s.overall_yield:.1%}",
                _sides(s),
            )
        )
    widths = [max(len(r[k]) for r in rows) for k in range(len(rows[0]))]
    for r in rows:
        print(
            "  ".join(
                v.ljust(w) if k == 1 else v.rjust(w)
                for k, (v, w) in enumerate(zip(r, widths, strict=True))
            )
        )
    return 0


def run_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from workbench.cli.common import written_names
    from workbench.cli.project_notes import empty_note, missing_note
    from workbench.corpus import exporter_for
    from workbench.corpus.unwritable import summary
    from workbench.project import Project

    exporter_for(args.output, args.fmt)  # an unknown format is refused before any work
    skipped: list[str] = []
    written: list[Path] = []
    empty: list = []
    with Project.open(args.project, read_only=True) as project:
        n = project.export(
            args.output,
            args.fmt,
            doc_ids=args.doc,
            accepted_only=not args.all,
            min_score=args.min_score,
            metadata=args.metadata,
            source_lang=args.source_lang,
            target_lang=args.target_lang,
            skip_invalid=args.skip_invalid,
            skipped=skipped,
            min_confidence=args.min_confidence,
            written=written,
            keep_empty=args.keep_empty,
            left_empty=empty,
        )
        if empty:
            print(empty_note(empty), file=sys.stderr)
        for value, what in ((args.min_score, "score"), (args.min_confidence, "confidence")):
            if value is not None and (
                note := missing_note(project, args.doc or [None], args.all, what)
            ):
                print(note, file=sys.stderr)
    where = written_names(args.output, written)
    print(f"{count(n, 'pair')} written to {where}{summary(skipped)}", file=sys.stderr)
    return 0


def run_audit(args: argparse.Namespace) -> int:
    from workbench.project import Project
    from workbench.safeio import check_output, project_files

    if args.csv:
        check_output(args.csv, project_files(args.project), what="audit CSV")

    with Project.open(args.project, read_only=True) as project:
        table = project.audit_summary(args.idle)
        if args.csv:
            project.export_audit(args.csv, args.idle)
    print(table.to_string(index=False) if len(table) else "no decisions in the journal")
    return 0
