"""JPEG and PNG without their metadata, not re-encoded (see :mod:`.metadata_strip`), and the
refusal that every cleaner raises."""

from __future__ import annotations

from unseen.errors import InputError

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_DROP = frozenset({b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"})
# JPEG markers without a length field (TEM, RSTn)
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})


def refuse(what: str, ko: str = "메타데이터를 지울 수 없습니다", kind: str = "") -> InputError:
    """The refusal: what is wrong (English, Korean), the type, and what to do."""
    of = f" ({kind})" if kind else ""
    return InputError(
        f"file{of}: {what}; store it only with 'keep metadata' ticked, on purpose, or send a "
        f"copy saved without it / 파일{of}: {ko}. 일부러 보존하려면 '메타데이터 보존'을 "
        "고르거나, 메타데이터 없이 저장한 사본을 올리십시오"
    )


def jpeg(data: bytes) -> bytes:
    """Every APPn segment but APP0 (JFIF) and APP14 (Adobe), and every comment, removed."""
    if data[:2] != b"\xff\xd8":
        raise refuse("this is not a JPEG image", "JPEG 이미지가 아닙니다", "image/jpeg")
    damaged = refuse("the JPEG's structure is damaged", "JPEG 구조가 손상되었습니다", "image/jpeg")
    out, i = bytearray(b"\xff\xd8"), 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            raise damaged
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
            raise damaged
        if marker == 0xDA:  # start of scan: the image data and the rest, as they are
            out += data[i:]
            return bytes(out)
        if not ((0xE1 <= marker <= 0xEF and marker != 0xEE) or marker == 0xFE):
            out += data[i:end]
        i = end
    raise refuse("the JPEG has no image data", "JPEG에 이미지 데이터가 없습니다", "image/jpeg")


def png(data: bytes) -> bytes:
    """The text, EXIF and time stamp chunks removed; the image chunks as they are."""
    if not data.startswith(_PNG_SIGNATURE):
        raise refuse("this is not a PNG image", "PNG 이미지가 아닙니다", "image/png")
    out, i = bytearray(_PNG_SIGNATURE), len(_PNG_SIGNATURE)
    while i + 12 <= len(data):
        length = int.from_bytes(data[i : i + 4], "big")
        kind = data[i + 4 : i + 8]
        end = i + 12 + length
        if end > len(data):
            raise refuse("the PNG's structure is damaged", "PNG 구조가 손상되었습니다", "image/png")
        if kind not in _PNG_DROP:
            out += data[i:end]
        i = end
        if kind == b"IEND":
            return bytes(out)
    raise refuse("the PNG has no end", "PNG 파일의 끝이 없습니다", "image/png")
