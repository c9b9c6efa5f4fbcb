"""MP4, M4A and QuickTime (ISO base media) files without their metadata, not re-encoded.

Every user-data box (``udta``: QuickTime's ``©xyz`` position, ``©nam``, ``©day``, the device's
make and model), every ``meta`` box (iTunes-style ``ilst`` tags, Apple's ``keys`` with
``com.apple.quicktime.location.ISO6709``), every ``uuid`` box (XMP, vendors' own data) and every
top-level box this reader does not know becomes a ``free`` box of the same size, filled with
zeros, and every existing ``free``/``skip`` box is zeroed too: nothing moves, so the sample
offsets (``stco``/``co64``, fragments) stay right without being rewritten. The creation and
modification times of the movie, its tracks and their media (``mvhd``, ``tkhd``, ``mdhd``) are
set to zero, and the handlers' names (which software wrote a track) are emptied. A timed
metadata track (handler ``meta``: GPS telemetry, say) cannot be removed without rewriting the
samples, so such a file is refused, as is a compressed movie header.
"""

from __future__ import annotations

from collections.abc import Iterator

from ._strip_image import refuse

__all__ = ["iso_media"]

_CONTAINERS = frozenset({b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf",
                         b"mvex", b"moof", b"traf", b"mfra"})  # fmt: skip
_DROP = frozenset({b"udta", b"meta", b"uuid"})
_EMPTY = frozenset({b"free", b"skip", b"wide"})
_TIMES = frozenset({b"mvhd", b"tkhd", b"mdhd"})
_TOP = frozenset({b"ftyp", b"moov", b"mdat", b"moof", b"mfra", b"sidx", b"ssix", b"styp",
                  b"pdin", b"prft", b"emsg", *_EMPTY})  # fmt: skip


def _damaged(kind: str) -> Exception:
    return refuse("its box structure is damaged", "박스 구조가 손상되었습니다", kind)


def _boxes(data: bytes, start: int, end: int, kind: str) -> Iterator[tuple[bytes, int, int, int]]:
    """(type, start, header length, end) of each box in ``data[start:end]``."""
    i = start
    while i < end:
        if i + 8 > end:
            raise _damaged(kind)
        size, name, header = int.from_bytes(data[i : i + 4], "big"), data[i + 4 : i + 8], 8
        if size == 1:
            if i + 16 > end:
                raise _damaged(kind)
            size, header = int.from_bytes(data[i + 8 : i + 16], "big"), 16
        elif size == 0:
            size = end - i
        if size < header or i + size > end:
            raise _damaged(kind)
        yield name, i, header, i + size
        i += size


def _clean(data: bytes, out: bytearray, start: int, end: int, kind: str, top: bool) -> bool:
    """Clean the boxes of ``data[start:end]`` in ``out`` (its copy); True if one was a moov."""
    found = False
    for name, i, header, stop in _boxes(data, start, end, kind):
        body = i + header
        if name == b"cmov":
            raise refuse("its movie header is compressed", "동영상 헤더가 압축되어 있습니다", kind)
        if name in _DROP or (top and name not in _TOP):
            out[i + 4 : i + 8] = b"free"
            out[body:stop] = bytes(stop - body)
        elif name in _EMPTY:
            out[body:stop] = bytes(stop - body)
        elif name in _TIMES and stop - body >= 12:
            width = 8 if data[body] == 1 else 4
            out[body + 4 : body + 4 + 2 * width] = bytes(2 * width)
        elif name == b"hdlr" and data[body + 8 : body + 12] == b"meta":
            raise refuse(
                "it has a timed metadata track (GPS telemetry, say)",
                "시간별 메타데이터 트랙(GPS 기록 등)이 있습니다",
                kind,
            )
        elif name == b"hdlr":  # its name says which software wrote the track
            out[body + 24 : stop] = bytes(max(0, stop - body - 24))
        elif name in _CONTAINERS:
            _clean(data, out, body, stop, kind, top=False)
        found = found or name == b"moov"
    return found


def iso_media(data: bytes, kind: str) -> bytes:
    """``data`` (MP4, M4A, MOV, 3GP) with its metadata boxes emptied in place."""
    if data[4:8] not in (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip"):
        raise refuse("this is not an MP4 or QuickTime file", "MP4/QuickTime 파일이 아닙니다", kind)
    out = bytearray(data)
    if not _clean(data, out, 0, len(data), kind, top=True):
        raise refuse("it has no movie header (moov)", "동영상 헤더(moov)가 없습니다", kind)
    return bytes(out)
