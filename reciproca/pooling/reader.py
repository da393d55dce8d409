"""The reading process of a parallel import (`ingest.ingest_parallel`): it reads and maps the
files and sends batches of items to the writing process. No Django here: the process is
spawned and imports only the XML reader and the sources."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree

from reciproca.pooling.iati import Item, UnsafeFile, read_activities
from reciproca.pooling.sources import iter_sources

PIPE_BATCH = 1000


def produce(paths: list[str], queue: Any) -> None:
    try:
        for source in iter_sources([Path(p) for p in paths]):
            queue.put(("start", source.key))
            info: dict[str, str] = {}
            batch: list[Item] = []
            try:
                for item in read_activities(source.stream, info):  # type: ignore[arg-type]
                    batch.append(item)
                    if len(batch) >= PIPE_BATCH:
                        queue.put(("items", batch))
                        batch = []
                if batch:
                    queue.put(("items", batch))
                while source.stream.read(1 << 20):
                    pass
            except UnsafeFile as error:
                queue.put(("unsafe", str(error)))
            except etree.XMLSyntaxError as error:
                if batch:
                    queue.put(("items", batch))
                queue.put(("syntax", str(error)))
            queue.put(
                (
                    "end",
                    {
                        "sha256": source.stream.digest.hexdigest(),
                        "size": source.stream.count,
                        "version": info.get("version", ""),
                    },
                )
            )
        queue.put(("done", None))
    except Exception as error:  # reported to the writer, which raises it
        queue.put(("failed", f"{type(error).__name__}: {error}"))
