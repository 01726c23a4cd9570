"""Where the data files are written (``hrdd.site.data`` says what is in them).

A data file is fixed text and per-assessment pieces. Each piece is encoded once: a piece already
written, in this run or the last one, is copied from that file by the kernel
(``os.copy_file_range``) instead of being encoded again. So each company's JSON file copies its
assessments from the full dataset, and a rebuild of ``hrdd serve`` after a one-file edit encodes
only the edited assessment, copies every other one from the last run's files and links the files
that did not change at all. Whatever is reused, every file has exactly the bytes of a fresh write.

A piece is known by its kind and the identity of its assessment and scores (models are frozen;
``hrdd.validate`` hands back the same objects for unchanged files). Identities only mean something
while those objects live, so the caller passes the last run's ``Written`` only while it keeps
that run's scorecard, and only if the frameworks and settings are the same
(``hrdd.site.incremental``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from hrdd.site.data import DataFile, Piece

Key = tuple[str, int, int]
"""A piece: its kind, and the identities of its assessment and scores."""

Where = tuple[str, int, int]
"""A piece in a written file: the file's path, the offset and the length in bytes."""

_FLUSH = 1 << 20


def piece_key(piece: Piece) -> Key:
    return (piece.kind, id(piece.entry.assessment), id(piece.entry.score))


@dataclass(frozen=True, slots=True)
class Written:
    """What a run wrote into ``folder``: each file's layout, and where each piece is."""

    folder: Path
    files: dict[str, tuple[str | Key, ...]]
    """Each file's fixed text and piece keys in order: the same layout gives the same file."""
    pieces: dict[Key, Where]

    def moved(self, folder: Path) -> Written:
        return Written(folder, self.files, self.pieces)


class _Out:
    """A file written with its own small buffer, so that kernel copies can go in between."""

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        self.position = 0
        self.buffer: list[bytes] = []
        self.buffered = 0

    def write(self, data: bytes) -> None:
        self.buffer.append(data)
        self.buffered += len(data)
        self.position += len(data)
        if self.buffered >= _FLUSH:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            data = memoryview(b"".join(self.buffer))
            while data:
                data = data[os.write(self.fd, data) :]
            self.buffer, self.buffered = [], 0

    def copy(self, source: int, offset: int, length: int) -> None:
        self.flush()
        done = 0
        with contextlib.suppress(OSError):  # no kernel copy here (an old kernel, another file system)
            while done < length:
                copied = os.copy_file_range(source, self.fd, length - done, offset + done)
                if copied == 0:
                    break
                done += copied
        if done < length:  # read and write the rest
            rest = memoryview(os.pread(source, length - done, offset + done))
            if len(rest) != length - done:
                raise OSError(f"a data file the last build wrote is shorter than recorded ({length} bytes at {offset})")
            os.lseek(self.fd, self.position + done, os.SEEK_SET)
            while rest:
                rest = rest[os.write(self.fd, rest) :]
        self.position += length

    def close(self) -> None:
        self.flush()
        os.close(self.fd)


class _Sources:
    """Open files pieces are copied from, by path."""

    def __init__(self) -> None:
        self.open: dict[Path, int] = {}

    def fd(self, path: Path) -> int:
        if path not in self.open:
            self.open[path] = os.open(path, os.O_RDONLY)
        return self.open[path]

    def close(self) -> None:
        for fd in self.open.values():
            os.close(fd)


def write_data_files(folder: Path, files: Iterable[DataFile], last: Written | None = None) -> Written:
    """Write every data file into ``folder`` (which must not hold them yet), reusing what
    ``last`` (a run that wrote into another folder) wrote, as described above."""
    layouts: dict[str, tuple[str | Key, ...]] = {}
    pieces: dict[Key, Where] = {}
    sources = _Sources()
    try:
        for path, parts in files:
            layout = tuple(p if isinstance(p, str) else piece_key(p) for p in parts)
            layouts[path] = layout
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            if last is not None and last.files.get(path) == layout:
                _link(last.folder / path, target)
                _note_pieces(path, layout, last, pieces)
                continue
            out = _Out(target)
            try:
                for part, key in zip(parts, layout, strict=True):
                    if isinstance(part, str):
                        out.write(part.encode("utf-8"))
                        continue
                    assert not isinstance(key, str)
                    found = pieces.get(key)
                    source = folder if found is not None else None
                    if found is None and last is not None:
                        found, source = last.pieces.get(key), last.folder
                    if found is not None and source is not None:
                        from_path, offset, length = found
                        pieces.setdefault(key, (path, out.position, length))
                        out.copy(sources.fd(source / from_path), offset, length)
                    else:
                        data = part.text().encode("utf-8")
                        pieces[key] = (path, out.position, len(data))
                        out.write(data)
            finally:
                out.close()
    finally:
        sources.close()
    return Written(folder, layouts, pieces)


def _note_pieces(path: str, layout: tuple[str | Key, ...], last: Written, pieces: dict[Key, Where]) -> None:
    """Where the pieces of a file linked from the last run are in it."""
    offset = 0
    for part in layout:
        if isinstance(part, str):
            offset += len(part.encode("utf-8"))
            continue
        length = last.pieces[part][2]
        pieces.setdefault(part, (path, offset, length))
        offset += length


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
