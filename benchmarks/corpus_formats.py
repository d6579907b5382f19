"""Write and read back N sentence pairs in every corpus format; prints seconds and file size.

nice python benchmarks/corpus_formats.py [N]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from workbench.corpus import ParallelPair, read_pairs, write_pairs


def main(n: int) -> None:
    pairs = [
        ParallelPair(
            f'Das ist der Satz Nummer {k}, mit "Anführungszeichen"\tund Tab.',
            f"这是第{k}个句子。 Voici la phrase {k} — 😀",
            "doc.de",
            (k,),
            (k,),
            k / n,
            "bleu",
        )
        for k in range(n)
    ]
    print(f"{n} pairs, metadata on; seconds to write / read, file size")
    with tempfile.TemporaryDirectory() as folder:
        for fmt in ("tsv", "tmx", "moses", "jsonl"):
            path = Path(folder) / ("c" if fmt == "moses" else f"c.{fmt}")
            start = time.perf_counter()
            write_pairs(pairs, path, fmt, metadata=True, source_lang="de", target_lang="zh")
            written = time.perf_counter() - start
            start = time.perf_counter()
            back = read_pairs(path, fmt, source_lang="de", target_lang="zh")
            read = time.perf_counter() - start
            assert back == pairs, fmt
            size = sum(f.stat().st_size for f in Path(folder).glob("c*"))
            print(f"{fmt:6s} write {written:6.2f}  read {read:6.2f}  {size / 1e6:6.1f} MB")
            for f in Path(folder).glob("c*"):
                f.unlink()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
