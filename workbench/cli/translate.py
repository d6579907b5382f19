"""`workbench translate SOURCE --model PATH`: machine-translate a document with CTranslate2."""

from __future__ import annotations

import argparse
import sys

ORDER = 15  # position in `workbench --help`: before align, which uses its output


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "translate",
        help="machine-translate a document (CTranslate2 model, Argos package or a file)",
        description="Translate SOURCE sentence by sentence; .EOA lines pass through. Distinct "
        "sentences are translated once, and with --cache never again.",
    )
    p.add_argument("source", help="document, one sentence per line (.EOA = article end)")
    add_model_options(p)
    p.add_argument("--cache", metavar="FILE", help="SQLite translation cache (created if absent)")
    p.add_argument("--encoding", default="utf-8", help="encoding of SOURCE")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p.add_argument(
        "--source-lang",
        metavar="L",
        help="language of SOURCE (e.g. de): checked against an Argos package's direction, "
        "picks a package from a folder of several, gives an NLLB model its source token",
    )
    p.add_argument(
        "--target-lang",
        metavar="L",
        help="language to translate into (e.g. fr): checked like --source-lang; an NLLB "
        "model's --target-prefix (fra_Latn) is derived from it",
    )
    p.set_defaults(func=run)


def add_model_options(p: argparse.ArgumentParser) -> None:
    """The translator options shared by `translate` and `project translate`."""
    p.add_argument(
        "--model",
        required=True,
        metavar="PATH",
        help="CTranslate2 model directory (e.g. converted OPUS-MT), Argos Translate package "
        "(.argosmodel or unpacked), or a file of translations line-aligned with the source",
    )
    p.add_argument(
        "--target-prefix", metavar="TOKEN", help="target language token (NLLB: fra_Latn)"
    )
    p.add_argument(
        "--source-prefix", metavar="TOKEN", help="source language token (NLLB: deu_Latn)"
    )
    p.add_argument("--beam-size", type=int, default=2, help="beam size (default 2)")
    p.add_argument("--batch-size", type=int, default=32, help="sentences per batch (default 32)")
    p.add_argument(
        "--compute-type",
        default="auto",
        help="CTranslate2 compute type (default: best supported, int8 on most CPUs)",
    )
    p.add_argument("--device", default="cpu", help="cpu or cuda (default cpu)")
    p.add_argument(
        "--threads", type=int, default=0, help="CPU threads per batch (default: all cores)"
    )


def run(args: argparse.Namespace) -> int:
    from workbench.safeio import check_output
    from workbench.textio import read_document, write_lines
    from workbench.translate import SqliteTranslationCache, translate_document

    inputs = [args.source, args.model, args.cache]
    if args.output:
        check_output(args.output, inputs)
    source = read_document(args.source, args.encoding)
    translator = open_translator_from_args(args)
    cache = SqliteTranslationCache(args.cache) if args.cache else None
    bar = ProgressBar()
    try:
        result = translate_document(source, translator, cache=cache, progress=bar.update)
    finally:
        bar.close()
        if cache is not None:
            cache.close()
    _check_one_line_each(args.source, result.sentences)
    if args.output:
        write_lines(args.output, result.to_lines(), inputs=inputs)
    else:
        sys.stdout.write("".join(line + "\n" for line in result.to_lines()))
    return 0


def _check_one_line_each(source: str, sentences: list[str]) -> None:
    """A translation holding a line feed (a model or plugin may produce one), or one that is
    ``.EOA``, would shift every later line of the one-sentence-per-line output, and ``align
    --mt`` would pair the wrong sentences: refused, before anything is written."""
    from workbench.errors import WorkbenchError
    from workbench.textio import EOA

    for i, text in enumerate(sentences):
        if "\n" in text or text.strip() == EOA:
            what = "holds a line break" if "\n" in text else "is .EOA, an article end"
            raise WorkbenchError(
                f"{source}: the translation of sentence {i} ({text[:40]!r}) {what}; one "
                "sentence per line cannot hold it, so nothing was written (the translations "
                "are in --cache if given)"
            )


def open_translator_from_args(
    args: argparse.Namespace, source_lang: str | None = None, target_lang: str | None = None
) -> object:
    """The translator the model options name (checked before any model is opened).

    The languages (a project document's, else ``--source-lang``/``--target-lang``) check the
    model's direction and choose NLLB language tokens and Argos packages.
    """
    from workbench.errors import InputError
    from workbench.translate import open_translator

    if args.beam_size < 1 or args.batch_size < 1 or args.threads < 0:
        raise InputError("--beam-size and --batch-size must be at least 1, --threads >= 0")
    return open_translator(
        args.model,
        target_prefix=args.target_prefix,
        source_prefix=args.source_prefix,
        beam_size=args.beam_size,
        batch_size=args.batch_size,
        compute_type=args.compute_type,
        device=args.device,
        intra_threads=args.threads,
        source_lang=source_lang or getattr(args, "source_lang", None),
        target_lang=target_lang or getattr(args, "target_lang", None),
    )


class ProgressBar:
    """A tqdm bar on stderr when it is a terminal, driven by (done, total) callbacks."""

    def __init__(self) -> None:
        from tqdm import tqdm

        self._bar = tqdm(total=0, unit="sent", desc="translating", disable=not sys.stderr.isatty())

    def update(self, done: int, total: int) -> None:
        if self._bar.total != total:
            self._bar.total = total
        self._bar.n = done
        self._bar.refresh()

    def close(self) -> None:
        self._bar.close()
