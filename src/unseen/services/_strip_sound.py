"""Sound files without their metadata, the audio data as it is (never re-encoded).

MP3: ID3v1 and ID3v2 tags (title, artist, comments, pictures, any ``TXXX`` text) and APEv2 tags
go (mutagen). Ogg (Vorbis, Opus, Speex, FLAC, Theora): the comment header is emptied (mutagen;
the encoder's vendor string stays), and binary data after Opus comments goes too; a file with
more than one logical stream is refused, since only the first one's comments would go. FLAC:
only the STREAMINFO, SEEKTABLE and CUESHEET blocks stay (the Vorbis comment, pictures,
application data and padding go), and an ID3 tag before or after the stream goes. WAV: only
the ``fmt``, ``fact``, ``data``, ``cue``, ``smpl`` and ``inst`` chunks stay (``LIST``/``INFO``
text, ``bext`` originator and date, ``id3``, iXML, XMP go). Everything happens in memory: no
plaintext copy touches the disk.
"""

from __future__ import annotations

import io

from mutagen import apev2, id3
from mutagen.mp3 import MP3
from mutagen.ogg import OggFileType, OggPage
from mutagen.oggflac import OggFLAC
from mutagen.oggopus import OggOpus
from mutagen.oggspeex import OggSpeex
from mutagen.oggtheora import OggTheora
from mutagen.oggvorbis import OggVorbis

from ._strip_image import refuse

__all__ = ["flac", "mp3", "ogg", "wav"]

_OGG_TYPES: list[type[OggFileType]] = [OggVorbis, OggOpus, OggFLAC, OggSpeex, OggTheora]
_FLAC_KEEP = frozenset({0, 3, 5})  # STREAMINFO, SEEKTABLE, CUESHEET
_WAV_KEEP = frozenset({b"fmt ", b"fact", b"data", b"cue ", b"smpl", b"inst"})


def mp3(data: bytes, kind: str) -> bytes:
    buf = io.BytesIO(data)
    try:
        MP3(buf)  # type: ignore[no-untyped-call]  # is it an MP3 at all?
        for _ in range(3):  # ID3v1 and APEv2 may come in either order at the end
            size = len(buf.getvalue())
            for delete in (id3.delete, apev2.delete):
                buf.seek(0)
                delete(buf)
            if len(buf.getvalue()) == size:
                break
        buf.seek(0)
        MP3(buf)  # type: ignore[no-untyped-call]  # still one after
    except Exception:  # mutagen on a damaged file: refused, never a crash
        raise refuse(
            "this is not an MP3 file that can be read", "MP3 파일이 아닙니다", kind
        ) from None
    out = buf.getvalue()
    if out[:1] != b"\xff" or out[1] & 0xE0 != 0xE0:  # what is left must start with a frame
        raise refuse(
            "something other than sound comes before its first frame",
            "첫 프레임 앞에 소리가 아닌 데이터가 있습니다",
            kind,
        )
    return out


def ogg(data: bytes, kind: str) -> bytes:
    not_ogg = refuse("this is not an Ogg file that can be read", "Ogg 파일이 아닙니다", kind)
    buf = io.BytesIO(data)
    serials = set()
    try:
        while buf.tell() < len(data):
            serials.add(OggPage(buf).serial)  # type: ignore[no-untyped-call]
    except Exception:  # mutagen on a damaged file: refused, never a crash
        raise not_ogg from None
    if len(serials) != 1:
        raise (
            refuse("it holds more than one stream", "스트림이 둘 이상 들어 있습니다", kind)
            if serials
            else not_ogg
        )
    score = [(t.score("", data[:128], data[:128]), t) for t in _OGG_TYPES]
    best, cls = max(score, key=lambda s: s[0])
    if best <= 0:
        raise not_ogg
    buf.seek(0)
    try:
        found = cls(buf)
        if getattr(found.tags, "_pad_data", b""):  # Opus: binary data kept after the comments
            found.tags._pad_data = b""  # type: ignore[attr-defined]
        buf.seek(0)
        found.delete(buf)
        buf.seek(0)
        cleaned = cls(buf)
    except Exception:  # mutagen on a damaged file: refused, never a crash
        raise not_ogg from None
    if cleaned.tags:
        raise not_ogg
    return buf.getvalue()


def _without_id3(data: bytes) -> bytes:
    """``data`` without an ID3v2 tag at its start and an ID3v1 tag at its end."""
    if data[:3] == b"ID3" and len(data) >= 10:
        size = 0
        for b in data[6:10]:
            size = size << 7 | (b & 0x7F)
        data = data[10 + size + (10 if data[5] & 0x10 else 0) :]
    if len(data) >= 128 and data[-128:-125] == b"TAG":
        data = data[:-128]
    return data


def flac(data: bytes, kind: str) -> bytes:
    data = _without_id3(data)
    if data[:4] != b"fLaC":
        raise refuse("this is not a FLAC file", "FLAC 파일이 아닙니다", kind)
    damaged = refuse("its metadata blocks are damaged", "메타데이터 블록이 손상되었습니다", kind)
    kept: list[tuple[int, bytes]] = []
    i, last = 4, False
    while not last:
        if i + 4 > len(data):
            raise damaged
        last, block = bool(data[i] & 0x80), data[i] & 0x7F
        end = i + 4 + int.from_bytes(data[i + 1 : i + 4], "big")
        if end > len(data):
            raise damaged
        if block in _FLAC_KEEP:
            kept.append((block, data[i + 4 : end]))
        i = end
    if not kept or kept[0][0] != 0:
        raise damaged
    out = bytearray(b"fLaC")
    for n, (block, body) in enumerate(kept):
        out.append(block | (0x80 if n == len(kept) - 1 else 0))
        out += len(body).to_bytes(3, "big") + body
    return bytes(out + data[i:])


def wav(data: bytes, kind: str) -> bytes:
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise refuse("this is not a RIFF WAVE file", "RIFF WAVE 파일이 아닙니다", kind)
    end = min(len(data), 8 + int.from_bytes(data[4:8], "little"))
    body, names, i = bytearray(), set(), 12
    while i + 8 <= end:
        name, size = data[i : i + 4], int.from_bytes(data[i + 4 : i + 8], "little")
        stop = i + 8 + size
        if stop > end:
            raise refuse("its chunk structure is damaged", "청크 구조가 손상되었습니다", kind)
        stop += size & 1  # chunks are word-aligned
        if name in _WAV_KEEP:
            body += data[i:stop].ljust(stop - i, b"\0")
            names.add(name)
        i = stop
    if not {b"fmt ", b"data"} <= names:
        raise refuse("it has no sound data", "소리 데이터가 없습니다", kind)
    return b"RIFF" + (len(body) + 4).to_bytes(4, "little") + b"WAVE" + bytes(body)
