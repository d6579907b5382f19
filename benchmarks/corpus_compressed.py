"""Reading OPUS-style compressed corpora against the same corpus uncompressed, side by side.

nice python benchmarks/corpus_compressed.py [N]

Writes N pairs as TSV, TMX and Moses, packs them the way OPUS ships them (.tsv.gz, .tmx.gz,
a Moses .zip) and times read_pairs on each; the ratio is compressed / plain in this one run.
"""

from __future__ import annotations

import argparse
import gzip
import tempfile
import time
import zipfile
from pathlib import Path

from workbench.corpus import ParallelPair, read_pairs, write_pairs


def _best_of(runs: int, read: object) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        read()
        best = min(best, time.perf_counter() - start)
    return best


def main(n: int) -> None:
    pairs = [
        ParallelPair(f"Das ist der Satz Nummer {k} über C:\\temp.", f"Voici la phrase {k}.")
        for k in range(n)
    ]
    print(f"{n} pairs; best of 3 reads, seconds: plain / compressed (ratio), sizes")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for fmt in ("tsv", "tmx"):
            plain = root / f"de-fr.{fmt}"
            write_pairs(pairs, plain, source_lang="de", target_lang="fr")
            packed = root / f"de-fr.{fmt}.gz"
            packed.write_bytes(gzip.compress(plain.read_bytes(), 6))
            assert read_pairs(packed) == pairs
            a = _best_of(3, lambda p=plain: read_pairs(p))
            b = _best_of(3, lambda p=packed: read_pairs(p))
            sizes = f"{plain.stat().st_size / 1e6:.1f} / {packed.stat().st_size / 1e6:.1f} MB"
            print(f"{fmt:5} {a:6.2f} / {b:6.2f} s ({b / a:.2f}x)  {sizes}")
        prefix = root / "Europarl.de-fr"
        write_pairs(pairs, prefix, "moses", source_lang="de", target_lang="fr")
        archive = root / "de-fr.txt.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
            for lang in ("de", "fr"):
                zf.write(root / f"Europarl.de-fr.{lang}", f"Europarl.de-fr.{lang}")
        assert read_pairs(archive) == pairs
        a = _best_of(3, lambda: read_pairs(prefix, "moses", source_lang="de", target_lang="fr"))
        b = _best_of(3, lambda: read_pairs(archive))
        print(
            f"moses {a:6.2f} / {b:6.2f} s ({b / a:.2f}x)  zip {archive.stat().st_size / 1e6:.1f} MB"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("n", nargs="?", type=int, default=200_000, help="pairs (default 200,000)")
    main(parser.parse_args().n)
