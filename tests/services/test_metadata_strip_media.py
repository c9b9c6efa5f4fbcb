"""Metadata removed from PDF, sound and video evidence: every sample file is made here with
synthetic values, its metadata looked for in the raw (and inflated) bytes after cleaning, and
what it shows or sounds like compared with the original, read back by the same library."""

from __future__ import annotations

import io
import random
import re
import wave
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mutagen import apev2
from mutagen.flac import FLAC, Picture
from mutagen.id3 import COMM, ID3, TIT2, TPE1, TXXX
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4
from mutagen.ogg import OggPage
from mutagen.oggopus import OggOpus
from mutagen.wave import WAVE
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from unseen.errors import InputError
from unseen.services.metadata_strip import CLEANABLE, strip_metadata

SECRETS = ("Zqxauthor", "Zqxtitle", "Zqxcamera", "Zqxattached", "Zqxnoter", "42.9117N", "Zqxxmp")
GPS = "+42.9117+129.5012/"  # a synthetic position (ISO 6709)


def _inflated(data: bytes) -> bytes:
    """``data`` and every stream in it that inflates (a PDF's compressed objects)."""
    out = [data]
    for m in re.finditer(rb"stream\r?\n", data):
        try:
            out.append(zlib.decompressobj().decompress(data[m.end() :]))
        except zlib.error:
            pass
    return b"\n".join(out)


def _photo(maker: str = "Zqxcamera") -> bytes:
    exif = Image.Exif()
    exif[0x010F] = maker
    exif.get_ifd(0x8825).update({1: "N", 2: (42.0, 54.0, 0.0), 3: "E", 4: (129.0, 30.0, 0.0)})
    buf = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 40, 40)).save(buf, "JPEG", exif=exif, quality=90)
    return buf.getvalue()


def _pdf(author: str = "Zqxauthor") -> bytes:
    w = PdfWriter()
    photo = _photo()
    image = DecodedStreamObject()
    image.set_data(photo)
    image.update({NameObject(k): v for k, v in {
        "/Type": NameObject("/XObject"), "/Subtype": NameObject("/Image"),
        "/Width": NumberObject(32), "/Height": NumberObject(24),
        "/ColorSpace": NameObject("/DeviceRGB"), "/BitsPerComponent": NumberObject(8),
        "/Filter": NameObject("/DCTDecode")}.items()})  # fmt: skip
    image_ref = w._add_object(image)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})  # fmt: skip
    font_ref = w._add_object(font)
    for n, text in enumerate(("Page one says hello", "Page two says goodbye")):
        page = w.add_blank_page(300, 200)
        page[NameObject("/Resources")] = DictionaryObject({
            NameObject("/Font"): DictionaryObject({NameObject("/F1"): font_ref}),
            NameObject("/XObject"): DictionaryObject({NameObject("/Im1"): image_ref})})  # fmt: skip
        content = DecodedStreamObject()
        content.set_data(f"BT /F1 12 Tf 20 150 Td ({text}) Tj ET q 32 0 0 24 20 20 cm /Im1 Do Q"
                         .encode())  # fmt: skip
        page[NameObject("/Contents")] = w._add_object(content)
        page[NameObject("/Thumb")] = image_ref
        page[NameObject("/PieceInfo")] = DictionaryObject(
            {NameObject("/Zqxapp"): TextStringObject("Zqxnoter")}
        )
        if n == 0:
            note = DictionaryObject({
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Text"),
                NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (10, 10, 30, 30)]),
                NameObject("/T"): TextStringObject("Zqxnoter"),
                NameObject("/Contents"): TextStringObject("a note on the page"),
                NameObject("/M"): TextStringObject("D:20190301100000Z")})  # fmt: skip
            page[NameObject("/Annots")] = ArrayObject([w._add_object(note)])
    w.add_metadata({"/Author": author, "/Title": "Zqxtitle", "/Creator": "Zqxcamera app"})
    w.xmp_metadata = (b'<?xpacket begin=""?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf='
                      b'"http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description dc:creator='
                      b'"Zqxxmp" xmlns:dc="http://purl.org/dc/elements/1.1/"/></rdf:RDF>'
                      b'</x:xmpmeta><?xpacket end="w"?>')  # fmt: skip
    w.add_attachment("notes.txt", b"Zqxattached file")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def test_a_pdf_loses_its_metadata_and_keeps_its_pages() -> None:
    dirty = _pdf()
    assert all(s.encode() in _inflated(dirty) for s in SECRETS if s != "42.9117N")
    clean = strip_metadata(dirty, "application/pdf")
    assert not any(s.encode() in _inflated(clean) for s in SECRETS)
    before, after = PdfReader(io.BytesIO(dirty)), PdfReader(io.BytesIO(clean))
    assert after.metadata is None and after.xmp_metadata is None and after.attachments == {}
    assert len(after.pages) == len(before.pages) == 2
    assert [p.extract_text() for p in after.pages] == [p.extract_text() for p in before.pages]
    assert "Page two says goodbye" in after.pages[1].extract_text()
    (annot,) = after.pages[0]["/Annots"]
    assert annot.get_object()["/Contents"] == "a note on the page"  # the note stays, unsigned
    shown = after.pages[0].images[0].image
    assert shown is not None and not shown.getexif()
    original = before.pages[0].images[0].image
    assert original is not None and shown.tobytes() == original.tobytes()  # not re-encoded
    assert strip_metadata(clean, "application/pdf") == clean  # nothing left to remove


def test_a_pdf_that_cannot_be_cleaned_is_refused_with_what_to_do() -> None:
    for data in (b"%PDF-1.4\n% not a real document\n", b"GIF89a"):
        with pytest.raises(InputError, match=r"application/pdf.*keep metadata.*메타데이터 보존"):
            strip_metadata(data, "application/pdf")
    w = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf())))
    w.encrypt("Zqxpassword", algorithm="RC4-128")
    locked = io.BytesIO()
    w.write(locked)
    with pytest.raises(InputError, match="password.*암호"):
        strip_metadata(locked.getvalue(), "application/pdf")
    w = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf())))
    signature = DictionaryObject({NameObject("/Type"): NameObject("/Sig"),
                                  NameObject("/Name"): TextStringObject("Zqxauthor")})  # fmt: skip
    field = DictionaryObject({NameObject("/FT"): NameObject("/Sig"),
                              NameObject("/V"): w._add_object(signature)})  # fmt: skip
    w._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([w._add_object(field)])}
    )
    signed = io.BytesIO()
    w.write(signed)
    with pytest.raises(InputError, match="signed.*서명"):
        strip_metadata(signed.getvalue(), "application/pdf")


@settings(max_examples=15, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1))
def test_no_pdf_author_survives(author: str) -> None:
    clean = strip_metadata(_pdf("Zqx" + author), "application/pdf")
    assert PdfReader(io.BytesIO(clean)).metadata is None
    assert b"Zqx" not in _inflated(clean)


# --- MP3 --------------------------------------------------------------------------------------

_FRAME = b"\xff\xfb\x90\x00"  # MPEG-1 layer III, 128 kbit/s, 44.1 kHz: 417-byte frames


def _frames(n: int = 40, seed: int = 8) -> bytes:
    rng = random.Random(seed)
    return b"".join(_FRAME + rng.randbytes(413) for _ in range(n))


def _mp3(title: str = "Zqxtitle") -> tuple[bytes, bytes]:
    frames = _frames()
    buf = io.BytesIO(frames)
    tags = ID3()
    tags.add(TIT2(encoding=3, text=title))
    tags.add(TPE1(encoding=3, text="Zqxauthor"))
    tags.add(COMM(encoding=3, lang="eng", desc="", text="Zqxnoter was here"))
    tags.add(TXXX(encoding=3, desc="GPS", text="42.9117N 129.5012E"))
    tags.save(buf, v1=2)
    ape = apev2.APEv2()
    ape["Artist"] = "Zqxcamera"
    ape.save(buf)
    return buf.getvalue(), frames


def test_an_mp3_loses_its_id3_and_ape_tags_and_keeps_every_frame() -> None:
    dirty, frames = _mp3()
    assert dirty[:3] == b"ID3" and b"APETAGEX" in dirty and b"TAGZqxtitle" in dirty  # v2, APE, v1
    clean = strip_metadata(dirty, "audio/mpeg")
    assert not any(s.encode() in clean for s in SECRETS)
    assert clean == frames  # the audio, byte for byte, and nothing else
    before, after = MP3(io.BytesIO(dirty)), MP3(io.BytesIO(clean))
    assert after.tags is None and after.info.bitrate == before.info.bitrate == 128000
    assert after.info.length == pytest.approx(len(frames) * 8 / 128000)  # every frame
    with pytest.raises(InputError, match=r"audio/mpeg.*not an MP3"):
        strip_metadata(b"\0" * 2000, "audio/mpeg")
    with pytest.raises(InputError, match=r"audio/mpeg.*before its first frame"):
        strip_metadata(b"RIFF Zqxauthor" + frames, "audio/mpeg")


@settings(max_examples=20, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=3))
def test_no_id3_text_survives(title: str) -> None:
    dirty, frames = _mp3(title)
    assert title.encode() in dirty
    clean = strip_metadata(dirty, "audio/mpeg")
    assert clean == frames


# --- MP4, M4A, QuickTime ------------------------------------------------------------------------


def _box(name: bytes, *parts: bytes) -> bytes:
    body = b"".join(parts)
    return (8 + len(body)).to_bytes(4, "big") + name + body


def _u32(*values: int) -> bytes:
    return b"".join(v.to_bytes(4, "big") for v in values)


_WHEN = 3_600_000_000  # 2018, seconds since 1904
_MATRIX = _u32(0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)


def _mp4(handler: bytes = b"soun", samples: int = 40) -> tuple[bytes, bytes]:
    """An M4A-like file, moov first, one track of ``samples`` 10-byte samples; its mdat body."""
    payload = random.Random(4).randbytes(10 * samples)
    position = _box(b"\xa9xyz", (len(GPS)).to_bytes(2, "big"), b"\x15\xc7", GPS.encode())

    def moov(offset: int) -> bytes:
        entry = _box(
            b"mp4a", bytes(6), b"\0\x01", bytes(8), b"\0\x01\0\x10\0\0\0\0",
            _u32(44100 << 16), _box(b"btrt", _u32(0, 8000, 8000)),
        )  # fmt: skip
        stbl = _box(
            b"stbl", _box(b"stsd", _u32(0, 1), entry), _box(b"stts", _u32(0, 1, samples, 1024)),
            _box(b"stsc", _u32(0, 1, 1, samples, 1)), _box(b"stsz", _u32(0, 10, samples)),
            _box(b"stco", _u32(0, 1, offset)),
        )  # fmt: skip
        dinf = _box(b"dinf", _box(b"dref", _u32(0, 1), _box(b"url ", _u32(1))))
        minf = _box(b"minf", _box(b"smhd", bytes(8)), dinf, stbl)
        mdhd = _box(b"mdhd", _u32(0, _WHEN, _WHEN, 44100, 1024 * samples, 0x55C40000))
        hdlr = _box(b"hdlr", _u32(0, 0), handler, bytes(12), b"Zqxcamera handler\0")
        tkhd = _box(
            b"tkhd", _u32(7, _WHEN, _WHEN, 1, 0, 1000), bytes(8), b"\0\0\0\0\x01\0\0\0",
            _MATRIX, _u32(0, 0),
        )  # fmt: skip
        name = _box(b"udta", _box(b"name", b"Zqxnoter track"))
        trak = _box(b"trak", tkhd, _box(b"mdia", mdhd, hdlr, minf), name)
        mvhd = _box(
            b"mvhd", _u32(0, _WHEN, _WHEN, 1000, 1000), _u32(0x10000), b"\x01\0", bytes(10),
            _MATRIX, bytes(24), _u32(2),
        )  # fmt: skip
        return _box(b"moov", mvhd, trak, _box(b"udta", position))

    ftyp = _box(b"ftyp", b"M4A ", _u32(0), b"M4A mp42isom")
    uuid = _box(b"uuid", bytes(16), b"<x:xmpmeta>Zqxxmp</x:xmpmeta>")
    offset = len(ftyp) + len(moov(0)) + len(uuid) + 8
    data = ftyp + moov(offset) + uuid + _box(b"mdat", payload)
    if handler != b"soun":
        return data, payload
    buf = io.BytesIO(data)
    tagged = MP4(buf)
    tagged["\xa9nam"] = ["Zqxtitle"]
    tagged["\xa9ART"] = ["Zqxauthor"]
    tagged["\xa9xyz"] = [GPS]
    tagged.save(buf)  # moves the samples on and updates stco
    return buf.getvalue(), payload


def _mdat(data: bytes) -> bytes:
    at = data.index(b"mdat")
    return data[at + 4 : at - 4 + int.from_bytes(data[at - 4 : at], "big")]


@pytest.mark.parametrize("kind", ["audio/mp4", "video/mp4", "video/quicktime"])
def test_an_mp4_loses_its_tags_position_and_times_in_place(kind: str) -> None:
    dirty, payload = _mp4()
    assert GPS.encode() in dirty and b"Zqxtitle" in dirty and _mdat(dirty) == payload
    clean = strip_metadata(dirty, kind)
    assert not any(s.encode() in clean for s in SECRETS) and GPS.encode() not in clean
    assert len(clean) == len(dirty) and _mdat(clean) == payload  # nothing moved
    assert _WHEN.to_bytes(4, "big") not in clean  # creation and modification times are zero
    before, after = MP4(io.BytesIO(dirty)), MP4(io.BytesIO(clean))
    assert not after.tags and after.info.length == before.info.length == 1024 * 40 / 44100
    assert after.info.sample_rate == before.info.sample_rate == 44100
    # a changed byte is only ever zeroed, or a box renamed "free"
    changed = [i for i, (a, b) in enumerate(zip(dirty, clean, strict=True)) if a != b]
    assert all(clean[i] == 0 or clean[i - 4 : i + 4].find(b"free") >= 0 for i in changed)


def test_an_mp4_that_cannot_be_cleaned_is_refused() -> None:
    telemetry, _ = _mp4(handler=b"meta")
    with pytest.raises(InputError, match=r"video/mp4.*timed metadata.*keep metadata"):
        strip_metadata(telemetry, "video/mp4")
    dirty, _ = _mp4()
    with pytest.raises(InputError, match="damaged"):
        strip_metadata(dirty[:-5], "video/mp4")
    with pytest.raises(InputError, match="not an MP4"):
        strip_metadata(_frames(), "audio/mp4")


# --- FLAC, Ogg Opus, WAV -------------------------------------------------------------------------


def _flac(title: str = "Zqxtitle") -> tuple[bytes, bytes, bytes]:
    streaminfo = (4096).to_bytes(2, "big") * 2 + bytes(6)
    bits = 44100 << 44 | 0 << 41 | 15 << 36 | 88200  # rate, mono, 16 bits, 2 s of samples
    streaminfo += bits.to_bytes(8, "big") + bytes(range(16))  # ... and an MD5 of the audio
    audio = b"\xff\xf8" + random.Random(6).randbytes(3000)
    buf = io.BytesIO(b"fLaC" + b"\x80" + len(streaminfo).to_bytes(3, "big") + streaminfo + audio)
    tagged = FLAC(buf)
    tagged["title"] = title
    tagged["artist"] = "Zqxauthor"
    tagged["location"] = "42.9117N 129.5012E"
    picture = Picture()
    picture.data, picture.mime = _photo(), "image/jpeg"
    tagged.add_picture(picture)
    buf.seek(0)
    tagged.save(buf)
    return buf.getvalue(), streaminfo, audio


def test_a_flac_keeps_only_its_stream_info_and_audio() -> None:
    dirty, streaminfo, audio = _flac()
    assert b"Zqxtitle" in dirty and b"Zqxcamera" in dirty
    clean = strip_metadata(dirty, "audio/flac")
    assert not any(s.encode() in clean for s in SECRETS)
    assert clean == b"fLaC\x80\x00\x00\x22" + streaminfo + audio
    before, after = FLAC(io.BytesIO(dirty)), FLAC(io.BytesIO(clean))
    assert after.tags is None and after.pictures == [] and after.info.length == before.info.length
    assert after.info.md5_signature == before.info.md5_signature


@settings(max_examples=20, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=3))
def test_no_vorbis_comment_survives(title: str) -> None:
    dirty, _, audio = _flac(title)
    assert title.encode() in dirty
    assert title.encode() not in strip_metadata(dirty, "audio/x-flac")[: -len(audio)]


def _opus(pages: int = 5) -> bytes:
    def page(packets: list[bytes], sequence: int, position: int) -> bytes:
        p = OggPage()
        p.packets, p.serial, p.sequence, p.position = packets, 0x5EED, sequence, position
        p.first, p.last = sequence == 0, sequence == pages + 1
        return p.write()

    head = b"OpusHead\x01\x01" + (312).to_bytes(2, "little") + (48000).to_bytes(4, "little")
    vendor = b"synthetic encoder"
    tags = b"OpusTags" + len(vendor).to_bytes(4, "little") + vendor + bytes(4) + b"\x01Zqxcamera"
    rng = random.Random(2)
    audio = [page([b"\xfc" + rng.randbytes(60) for _ in range(10)], n + 2, 960 * 10 * (n + 1))
             for n in range(pages)]  # fmt: skip
    buf = io.BytesIO(page([head + bytes(3)], 0, 0) + page([tags], 1, 0) + b"".join(audio))
    tagged = OggOpus(buf)
    tagged["title"] = "Zqxtitle"
    tagged["artist"] = "Zqxauthor"
    tagged["location"] = "42.9117N 129.5012E"
    buf.seek(0)
    tagged.save(buf)
    return buf.getvalue()


def _packets(data: bytes) -> list[bytes]:
    buf, out = io.BytesIO(data), []
    while buf.tell() < len(data):
        out.extend(OggPage(buf).packets)
    return out


def test_an_ogg_opus_loses_its_comments_and_keeps_its_packets() -> None:
    dirty = _opus()
    assert b"Zqxtitle" in dirty and b"Zqxcamera" in dirty  # a comment, binary data after them
    clean = strip_metadata(dirty, "audio/ogg")
    assert not any(s.encode() in clean for s in SECRETS)
    before, after = OggOpus(io.BytesIO(dirty)), OggOpus(io.BytesIO(clean))
    assert not after.tags and after.info.length == before.info.length > 0
    assert _packets(clean)[2:] == _packets(dirty)[2:]  # the sound, packet for packet
    other = OggPage(io.BytesIO(dirty))
    other.serial = 0xBEEF
    with pytest.raises(InputError, match="more than one stream"):
        strip_metadata(dirty + other.write(), "audio/ogg")


def _wav(title: bytes = b"Zqxtitle") -> tuple[bytes, bytes]:
    rng = random.Random(3)
    frames = rng.randbytes(2 * 8000)
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(frames)

    def chunk(name: bytes, body: bytes) -> bytes:
        return name + len(body).to_bytes(4, "little") + body + b"\0" * (len(body) & 1)

    info = b"INFO" + chunk(b"INAM", title + b"\0") + chunk(b"IART", b"Zqxauthor\0")
    extra = chunk(b"LIST", info) + chunk(b"bext", b"Zqxcamera originator 2019-03-01")
    body = buf.getvalue()[12:] + extra
    return b"RIFF" + (len(body) + 4).to_bytes(4, "little") + b"WAVE" + body, frames


def test_a_wav_loses_its_info_and_broadcast_chunks_and_keeps_its_samples() -> None:
    dirty, frames = _wav()
    clean = strip_metadata(dirty, "audio/x-wav")
    assert b"Zqxtitle" in dirty and not any(s.encode() in clean for s in SECRETS)
    with wave.open(io.BytesIO(clean)) as w:
        assert (w.getframerate(), w.getnframes()) == (8000, 8000)
        assert w.readframes(8000) == frames
    assert WAVE(io.BytesIO(clean)).info.length == WAVE(io.BytesIO(dirty)).info.length == 1.0
    with pytest.raises(InputError, match="damaged"):
        strip_metadata(dirty[:100], "audio/wav")


@settings(max_examples=20, deadline=None)
@given(st.binary(min_size=4, max_size=300).filter(lambda b: b"\0" not in b))
def test_no_wav_info_text_survives(title: bytes) -> None:
    dirty, frames = _wav(b"Zqx" + title)
    clean = strip_metadata(dirty, "audio/wav")
    assert b"Zqx" + title not in clean and clean.endswith(frames)


def test_every_cleanable_type_refuses_what_it_is_not_and_others_are_refused() -> None:
    assert {"application/pdf", "audio/mpeg", "video/quicktime", "audio/flac"} <= CLEANABLE
    for kind in sorted(CLEANABLE):
        with pytest.raises(InputError, match=re.escape(kind) + r".*keep metadata"):
            strip_metadata(b"Zqx not a file of any kind" * 20, kind)
    for kind in ("video/webm", "video/x-matroska", "application/zip"):
        with pytest.raises(InputError, match=re.escape(kind) + ".*keep metadata.*메타데이터 보존"):
            strip_metadata(b"\x1aE\xdf\xa3 synthetic", kind)
    assert strip_metadata(_wav()[0], "Audio/WAV; codecs=1").startswith(b"RIFF")


_SAMPLES = {
    "application/pdf": lambda: _pdf(),
    "audio/mpeg": lambda: _mp3()[0],
    "video/mp4": lambda: _mp4()[0],
    "audio/flac": lambda: _flac()[0],
    "audio/ogg": lambda: _opus(),
    "audio/wav": lambda: _wav()[0],
}
_BUILT = {kind: make() for kind, make in _SAMPLES.items()}


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(_SAMPLES)), st.data())
def test_a_damaged_file_is_cleaned_or_refused_never_an_error(
    kind: str, data: st.DataObject
) -> None:
    """A sample cut short or with bytes overwritten: cleaned, or refused with InputError."""
    sample = bytearray(_BUILT[kind])
    cut = data.draw(st.integers(1, len(sample)))
    for _ in range(data.draw(st.integers(0, 4))):
        at = data.draw(st.integers(0, len(sample) - 1))
        sample[at] = data.draw(st.integers(0, 255))
    try:
        strip_metadata(bytes(sample[:cut]), kind)
    except InputError as e:
        assert "keep metadata" in str(e) and kind in str(e)
