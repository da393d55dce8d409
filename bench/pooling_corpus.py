"""A generated corpus for the pooling bench: the real IATI sample activities
(`../shared/data/iati/samples/`) multiplied under new identifiers. Say so wherever a figure
measured on it is quoted.

Each copy of a real activity gets a new identifier (`…~gK`) and, so that the finder meets a
realistic selectivity rather than N identical copies in the same places: each subdivision code
of its locations is replaced by a subdivision of the same country drawn at random (pycountry's
top-level subdivisions), each point moved by up to ±1.5° (so it may leave or enter a partner
unit's boundaries), and half of its DAC purpose codes replaced by a code drawn among those the
samples use. The rest of the activity (its transactions, results, documents…) is the real one,
byte for byte.

The activities kept are the real ones of at most `max_bytes` serialised (8,000 by default: the
smaller half of the samples, 4.9 kB on average, so that 1,000,000 activities are ~5 GB rather
than ~12 GB) plus, whatever their size, every activity located in a partner country (SN, PS, MA,
AM, DZ). Files: the first holds 1,000 activities and the second 100,000 (the peak-memory
comparison of a small and a large file), the others 10,000. The corpus is written once under
`var/bench-corpus/` and reused while its parameters are the same.

`uv run --frozen python bench/pooling_corpus.py --corpus 1000000` writes it alone.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / ".." / "shared" / "data" / "iati" / "samples"
sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402

from reciproca.pooling import iati  # noqa: E402
from reciproca.pooling.sources import iter_sources  # noqa: E402

PARTNER_COUNTRIES = (b"SN", b"PS", b"MA", b"AM", b"DZ")
FILE_SIZES = (1_000, 100_000)
PER_FILE = 10_000
IDENTIFIER_END = b"</iati-identifier>"
ADMIN = re.compile(rb'(<administrative\b[^>]*?\bcode=")([A-Z]{2})-([A-Z0-9]{1,3})(")')
POS = re.compile(rb"<pos>\s*(-?[0-9.]+)\s+(-?[0-9.]+)\s*</pos>")
SECTOR = re.compile(rb'(<sector\b[^>]*?\bcode=")([0-9]{5})(")')
PARTNER = re.compile(
    rb'(?:recipient-country\b[^>]*?code="|code=")(?:' + b"|".join(PARTNER_COUNTRIES) + rb')[-"]'
)


def originals(max_bytes: int) -> list[bytes]:
    """The real activities kept, one per identifier."""
    kept: dict[bytes, bytes] = {}
    for source in iter_sources(sorted(SAMPLES.glob("*.tar.xz"))):
        for _event, el in etree.iterparse(
            source.stream, tag="iati-activity", **iati.parser_options()
        ):
            raw = etree.tostring(el)
            el.clear()
            if IDENTIFIER_END not in raw:
                continue
            if len(raw) > max_bytes and not PARTNER.search(raw):
                continue
            identifier = raw.split(IDENTIFIER_END, 1)[0].rsplit(b">", 1)[-1].strip()
            kept.setdefault(identifier, raw)
    return list(kept.values())


def _subdivisions() -> dict[bytes, list[bytes]]:
    import pycountry

    by_country: dict[bytes, list[bytes]] = {}
    for sub in pycountry.subdivisions:
        if sub.parent_code is None:
            by_country.setdefault(sub.country_code.encode(), []).append(sub.code.encode())
    return by_country


class _Copier:
    def __init__(self, raws: list[bytes], seed: int) -> None:
        self.rng = random.Random(seed)
        self.subdivisions = _subdivisions()
        self.sectors = sorted({m.group(2) for raw in raws for m in SECTOR.finditer(raw)})

    def admin(self, match: re.Match[bytes]) -> bytes:
        choices = self.subdivisions.get(match.group(2))
        code = self.rng.choice(choices) if choices else match.group(2) + b"-" + match.group(3)
        return match.group(1) + code + match.group(4)

    def pos(self, match: re.Match[bytes]) -> bytes:
        try:
            lat, lon = float(match.group(1)), float(match.group(2))
        except ValueError:
            return match.group(0)
        lat = max(-89.9, min(89.9, lat + self.rng.uniform(-1.5, 1.5)))
        lon = max(-179.9, min(179.9, lon + self.rng.uniform(-1.5, 1.5)))
        return b"<pos>%.5f %.5f</pos>" % (lat, lon)

    def sector(self, match: re.Match[bytes]) -> bytes:
        if self.rng.random() < 0.5:
            return match.group(0)
        return match.group(1) + self.rng.choice(self.sectors) + match.group(3)

    def copy(self, raw: bytes, k: int) -> bytes:
        raw = raw.replace(IDENTIFIER_END, b"~g%d%s" % (k, IDENTIFIER_END), 1)
        if b"<administrative" in raw:
            raw = ADMIN.sub(self.admin, raw)
        if b"<pos>" in raw:
            raw = POS.sub(self.pos, raw)
        if b"<sector" in raw:
            raw = SECTOR.sub(self.sector, raw)
        return raw


def generate(
    n: int, *, max_bytes: int = 8000, seed: int = 12, out: Path | None = None
) -> list[Path]:
    """Write (or reuse) the corpus of `n` activities; returns its files in order."""
    out = out or ROOT / "var" / "bench-corpus" / f"{n}-{max_bytes}-{seed}"
    done = out / "DONE"
    if done.exists():
        return [out / name for name in done.read_text().split()]
    out.mkdir(parents=True, exist_ok=True)
    raws = originals(max_bytes)
    copier = _Copier(raws, seed)
    sizes = [*FILE_SIZES]
    files: list[Path] = []
    written = 0
    k = 0  # copy number: each pass over the originals is one copy of each
    position = len(raws)
    while written < n:
        size = min(sizes.pop(0) if sizes else PER_FILE, n - written)
        path = out / f"generated-{len(files) + 1:04d}.xml"
        with open(path, "wb") as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n')
            for _ in range(size):
                if position == len(raws):
                    position = 0
                    k += 1
                f.write(copier.copy(raws[position], k))
                f.write(b"\n")
                position += 1
            f.write(b"</iati-activities>\n")
        written += size
        files.append(path)
    done.write_text("\n".join(p.name for p in files))
    return files


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=int, required=True)
    parser.add_argument("--max-activity-bytes", type=int, default=8000)
    parsed = parser.parse_args()
    paths = generate(parsed.corpus, max_bytes=parsed.max_activity_bytes)
    total = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} fichiers, {total / 1e9:.2f} Go : {paths[0].parent}")
