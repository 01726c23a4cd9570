"""Where the data files are written (``hrdd.site.data`` says what is in them).

A data file is fixed text and per-assessment pieces. Each piece is encoded once: a piece already
written, in this run or the last one, is copied from that file by the kernel
(``os.copy_file_range``) instead of being encoded again. So each company's JSON file copies its
assessments from the full dataset, and a rebuild of ``hrdd serve`` after a one-file edit encodes
only the edited assessment, copies every other one from the last run's files and links the files
that did not change at all. Whatever is reused, every file has exactly the bytes of a fresh write.

Pieces made from a whole assessment (``Piece.companions``) are encoded together: the first one
needed is written where it belongs, the others into a side file, to be copied from there when
their turn comes. So each assessment is built once (a scorecard of thousands of companies keeps
none in memory; see ``hrdd.site.Entry``).

A piece is known by its kind and its assessment's content key (``Entry.key``: the check cache's
hash of everything the assessment and its scores are made from), so a piece of the last run is
reused exactly when its content is the same; the caller passes the last run's ``Written`` only
if the frameworks and settings are the same. An assessment without a content key (checked
without the cache) is known within its run by its place in the scorecard, and never taken
from the last run.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from hrdd.site.data import DataFile, Piece

Key = tuple[str, str]
"""A piece: its kind, and its assessment's content key (or, without one, ``_UNKEYED`` and where
the assessment is in the scorecard)."""

Where = tuple[str, int, int]
"""A piece in a written file: the file's path, the offset and the length in bytes."""

_FLUSH = 1 << 20

_SIDE = ".pieces"
"""The side file, in the folder written, of pieces encoded ahead of their turn (removed at the end)."""


_UNKEYED = "~"
"""Starts the key of a piece whose assessment has no content key (a hex digest never does)."""


def piece_key(piece: Piece) -> Key:
    entry = piece.entry
    if entry.key is not None:
        return (piece.kind, entry.key)
    return (piece.kind, f"{_UNKEYED}{entry.slug}/{entry.cycle}/{'self' if entry.is_self else 'independent'}")


def _reusable(key: str | Key) -> bool:
    """Whether a part of a layout may be taken from the last run: fixed text, or a keyed piece."""
    return isinstance(key, str) or not key[1].startswith(_UNKEYED)


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
                raise OSError(f"a data file written before is shorter than recorded ({length} bytes at {offset})")
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
    writer = _Writer(folder, last)
    try:
        for path, parts in files:
            writer.file(path, parts)
    finally:
        writer.sources.close()
        if writer.side_file is not None:
            writer.side_file.close()
            (folder / _SIDE).unlink()
    # Pieces encoded ahead but never used (no file had them): gone with the side file.
    pieces = {key: where for key, where in writer.pieces.items() if where[0] != _SIDE}
    return Written(folder, writer.layouts, pieces)


class _Writer:
    """One run of ``write_data_files``: what it wrote so far, and the files it copies from."""

    def __init__(self, folder: Path, last: Written | None) -> None:
        self.folder = folder
        self.last = last
        self.layouts: dict[str, tuple[str | Key, ...]] = {}
        self.pieces: dict[Key, Where] = {}
        self.sources = _Sources()
        self.made: set[Path] = set()
        self.side_file: _Out | None = None

    def file(self, path: str, parts: Sequence[str | Piece]) -> None:
        layout = tuple(p if isinstance(p, str) else piece_key(p) for p in parts)
        self.layouts[path] = layout
        target = self.folder / path
        if target.parent not in self.made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(target.parent)
        last = self.last
        if last is not None and last.files.get(path) == layout and all(_reusable(k) for k in layout):
            _link(last.folder / path, target)
            for key, (offset, length) in zip(layout, _spans(layout, last), strict=True):
                if not isinstance(key, str):
                    self.pieces.setdefault(key, (path, offset, length))
            return
        out = _Out(target)
        try:
            self._write(out, path, parts, layout)
        finally:
            out.close()

    def _write(self, out: _Out, path: str, parts: Sequence[str | Piece], layout: tuple[str | Key, ...]) -> None:
        """Where parts are, in order, where they were in the last run's file of the same path (the
        usual case: one assessment changed), that stretch of it is copied in one go."""
        last = self.last
        before = last.files.get(path, ()) if last is not None else ()
        spans = _spans(before, last) if last is not None else []
        run: tuple[int, int] | None = None  # a stretch of the last file still to copy: offset, length

        def copy_run() -> None:
            if run is not None and last is not None:
                out.copy(self.sources.fd(last.folder / path), *run)

        for number, (part, key) in enumerate(zip(parts, layout, strict=True)):
            if last is not None and number < len(before) and before[number] == key and _reusable(key):
                offset, length = spans[number]
                if run is not None and run[0] + run[1] != offset:
                    copy_run()
                    run = None
                if not isinstance(key, str):  # nothing is written while a stretch grows
                    self.pieces.setdefault(key, (path, out.position + (offset - run[0] if run else 0), length))
                run = (run[0], run[1] + length) if run is not None else (offset, length)
                continue
            copy_run()
            run = None
            if isinstance(part, str):
                out.write(part.encode("utf-8"))
            else:
                assert not isinstance(key, str)
                self._piece(out, path, part, key)
        copy_run()

    def _piece(self, out: _Out, path: str, piece: Piece, key: Key) -> None:
        """A piece: copied from where this run or the last one wrote it, else encoded (with its
        companions, into the side file)."""
        found = self._find(key)
        if found is None:
            data = piece.text().encode("utf-8")
            self.pieces[key] = (path, out.position, len(data))
            out.write(data)
            for companion in piece.companions():
                if self._find(other := piece_key(companion)) is None:
                    data = companion.text().encode("utf-8")
                    side = self._side()
                    self.pieces[other] = (_SIDE, side.position, len(data))
                    side.write(data)
            return
        source, (from_path, offset, length) = found
        if from_path == _SIDE:
            self._side().flush()
        if from_path == _SIDE or key not in self.pieces:  # from now on, a file's copy is the one to name
            self.pieces[key] = (path, out.position, length)
        out.copy(self.sources.fd(source / from_path), offset, length)

    def _side(self) -> _Out:
        if self.side_file is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.side_file = _Out(self.folder / _SIDE)
        return self.side_file

    def _find(self, key: Key) -> tuple[Path, Where] | None:
        """Where this run or the last one wrote a piece: the folder and the place in it."""
        if key in self.pieces:
            return self.folder, self.pieces[key]
        if self.last is not None and key in self.last.pieces and _reusable(key):
            return self.last.folder, self.last.pieces[key]
        return None


def _spans(layout: tuple[str | Key, ...], last: Written) -> list[tuple[int, int]]:
    """The offset and length of each part of a file the last run wrote with this layout."""
    spans = []
    offset = 0
    for part in layout:
        length = len(part.encode("utf-8")) if isinstance(part, str) else last.pieces[part][2]
        spans.append((offset, length))
        offset += length
    return spans


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
