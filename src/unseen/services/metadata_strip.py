"""Remove the metadata a file carries (device, GPS position, time, software, author, comments)
before it is stored as evidence, without re-encoding what it shows or sounds like.

JPEG: every APPn segment goes but APP0 (JFIF) and APP14 (Adobe: how to read the colours of a
CMYK image, no personal data): APP1 holds EXIF and XMP, APP13 IPTC, APP2 an ICC profile that
can name the device; every comment (COM) goes too. The image data from the start-of-scan
marker on is copied as it is. PNG: the text chunks (tEXt, zTXt, iTXt), EXIF (eXIf) and the
time stamp (tIME) go; the image chunks stay. PDF: see :mod:`._strip_pdf`; MP3, Ogg, FLAC and
WAV: :mod:`._strip_sound`; MP4, M4A, MOV and 3GP: :mod:`._strip_mp4`. Other types (WebM and
Matroska, AIFF, office files...) cannot be cleaned here: :func:`strip_metadata` refuses them,
so a file is stored with its metadata only when the documenter says so on purpose. So is a
file whose content is not of the type it was sent as.
"""

from __future__ import annotations

from collections.abc import Callable

from . import _strip_sound
from ._strip_image import jpeg, png, refuse
from ._strip_mp4 import iso_media
from ._strip_pdf import pdf

__all__ = ["CLEANABLE", "strip_metadata"]

_MP3 = ("audio/mpeg", "audio/mp3", "audio/mpeg3", "audio/x-mpeg-3")
_OGG = ("audio/ogg", "audio/opus", "audio/vorbis", "audio/x-vorbis+ogg", "application/ogg",
        "video/ogg")  # fmt: skip
_FLAC = ("audio/flac", "audio/x-flac")
_WAV = ("audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave")
_ISO = ("video/mp4", "audio/mp4", "audio/x-m4a", "audio/m4a", "video/x-m4v", "video/quicktime",
        "video/3gpp", "audio/3gpp")  # fmt: skip
_CLEANERS: dict[str, Callable[[bytes, str], bytes]] = {
    "image/jpeg": lambda data, _: jpeg(data),
    "image/png": lambda data, _: png(data),
    "application/pdf": lambda data, _: pdf(data),
    **dict.fromkeys(_MP3, _strip_sound.mp3),
    **dict.fromkeys(_OGG, _strip_sound.ogg),
    **dict.fromkeys(_FLAC, _strip_sound.flac),
    **dict.fromkeys(_WAV, _strip_sound.wav),
    **dict.fromkeys(_ISO, iso_media),
}
CLEANABLE = frozenset(_CLEANERS)


def strip_metadata(data: bytes, media_type: str) -> bytes:
    """``data`` without its metadata; InputError for a type that cannot be cleaned here."""
    kind = media_type.split(";")[0].strip().lower()
    clean = _CLEANERS.get(kind)
    if clean is None:
        raise refuse(
            "metadata cannot be removed from this type of file here",
            "이 종류의 파일에서는 메타데이터를 지울 수 없습니다",
            kind,
        )
    return clean(data, kind)
