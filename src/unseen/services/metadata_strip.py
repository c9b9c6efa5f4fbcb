"""Remove the metadata a photo carries (camera, GPS position, time, software, comments) before
it is stored as evidence, without re-encoding the image.

JPEG: every APPn segment goes but APP0 (JFIF) and APP14 (Adobe: how to read the colours of a
CMYK image, no personal data): APP1 holds EXIF and XMP, APP13 IPTC, APP2 an ICC profile that
can name the device; every comment (COM) goes too. The image data from the start-of-scan
marker on is copied as it is. PNG: the text chunks (tEXt, zTXt, iTXt), EXIF
(eXIf) and the time stamp (tIME) go; the image chunks stay. Other types cannot be cleaned
here: :func:`strip_metadata` refuses them, so a file is stored with its metadata only when the
documenter says so on purpose.
"""

from __future__ import annotations

from unseen.errors import InputError

__all__ = ["CLEANABLE", "strip_metadata"]

CLEANABLE = frozenset({"image/jpeg", "image/png"})
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_DROP = frozenset({b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"})
# JPEG markers without a length field (TEM, RSTn)
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})


def _refuse(what: str) -> InputError:
    return InputError(
        f"file: {what}; store it only with 'keep metadata' ticked, on purpose / "
        "파일: 메타데이터를 지울 수 없습니다. 일부러 보존하려면 '메타데이터 보존'을 고르십시오"
    )


def _jpeg(data: bytes) -> bytes:
    if data[:2] != b"\xff\xd8":
        raise _refuse("this is not a JPEG image")
    out, i = bytearray(b"\xff\xd8"), 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            raise _refuse("the JPEG's structure is damaged")
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in _STANDALONE:
            out += data[i : i + 2]
            i += 2
            continue
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        end = i + 2 + length
        if length < 2 or end > len(data):
            raise _refuse("the JPEG's structure is damaged")
        if marker == 0xDA:  # start of scan: the image data and the rest, as they are
            out += data[i:]
            return bytes(out)
        if not ((0xE1 <= marker <= 0xEF and marker != 0xEE) or marker == 0xFE):
            out += data[i:end]
        i = end
    raise _refuse("the JPEG has no image data")


def _png(data: bytes) -> bytes:
    if not data.startswith(_PNG_SIGNATURE):
        raise _refuse("this is not a PNG image")
    out, i = bytearray(_PNG_SIGNATURE), len(_PNG_SIGNATURE)
    while i + 12 <= len(data):
        length = int.from_bytes(data[i : i + 4], "big")
        kind = data[i + 4 : i + 8]
        end = i + 12 + length
        if end > len(data):
            raise _refuse("the PNG's structure is damaged")
        if kind not in _PNG_DROP:
            out += data[i:end]
        i = end
        if kind == b"IEND":
            return bytes(out)
    raise _refuse("the PNG has no end")


def strip_metadata(data: bytes, media_type: str) -> bytes:
    """``data`` without its metadata; InputError for a type that cannot be cleaned here."""
    if media_type == "image/jpeg":
        return _jpeg(data)
    if media_type == "image/png":
        return _png(data)
    raise _refuse(f"metadata cannot be removed from {media_type} files here")
