"""Where activity files come from: a file, a folder (walked in name order), a zip or a tar.xz
archive (read member by member, never unpacked to disk). Each yields `Source`s whose stream
hashes and counts what the parser reads."""

from __future__ import annotations

import hashlib
import tarfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

XML_SUFFIXES = (".xml",)
ARCHIVE_SUFFIXES = (".zip", ".tar.xz", ".txz", ".tar.gz", ".tgz", ".tar")


class HashingReader:
    """Reads through to the stream, keeping a SHA-256 and a byte count."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        self.digest.update(chunk)
        self.count += len(chunk)
        return chunk


@dataclass
class Source:
    key: str
    size: int
    stream: HashingReader


def is_archive(path: Path) -> bool:
    return path.name.lower().endswith(ARCHIVE_SUFFIXES)


def total_size(paths: list[Path]) -> int:
    """The bytes to read, for progress (archives count as their compressed size)."""
    total = 0
    for path in paths:
        if path.is_dir():
            total += sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        elif path.exists():
            total += path.stat().st_size
    return total


def iter_sources(paths: list[Path], suffixes: tuple[str, ...] = XML_SUFFIXES) -> Iterator[Source]:
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                rel = child.relative_to(path).as_posix()
                yield from _from_file(child, rel, suffixes)
        elif path.is_file():
            yield from _from_file(path, path.name, suffixes)
        else:
            raise FileNotFoundError(f"introuvable : {path}")


def _from_file(path: Path, key: str, suffixes: tuple[str, ...]) -> Iterator[Source]:
    name = path.name.lower()
    if name.endswith(".zip"):
        with zipfile.ZipFile(path) as archive:
            for info in sorted(archive.infolist(), key=lambda i: i.filename):
                if not info.is_dir() and info.filename.lower().endswith(suffixes):
                    with archive.open(info) as stream:
                        yield Source(
                            f"{key}/{info.filename}", info.file_size, HashingReader(stream)
                        )
    elif name.endswith(ARCHIVE_SUFFIXES):
        # "r|*": a stream, one member after the other, whatever the compression.
        with tarfile.open(path, mode="r|*") as archive:
            for member in archive:
                if member.isfile() and member.name.lower().endswith(suffixes):
                    member_stream = archive.extractfile(member)
                    if member_stream is not None:
                        yield Source(
                            f"{key}/{member.name}", member.size, HashingReader(member_stream)
                        )
    elif name.endswith(suffixes):
        with open(path, "rb") as stream:
            yield Source(key, path.stat().st_size, HashingReader(stream))


@contextmanager
def single(stream: IO[bytes], key: str, size: int = 0) -> Iterator[Source]:
    yield Source(key, size, HashingReader(stream))
