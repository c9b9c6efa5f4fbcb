"""A PDF, an MP3 and a WAV uploaded as evidence are stored without their metadata (the stored
bytes are what is hashed and read back); a type that cannot be cleaned is refused, in Korean
and English, unless kept on purpose. Synthetic values only."""

from __future__ import annotations

import hashlib
import io
import wave

from mutagen.id3 import ID3, TIT2, TXXX
from mutagen.mp3 import MP3
from pypdf import PdfReader, PdfWriter
from webkit import Clock, Secrets, TestClient, sign_in

from unseen.store import Workspace

_FRAMES = b"".join(b"\xff\xfb\x90\x00" + bytes([n]) * 413 for n in range(30))


def _mp3() -> bytes:
    buf = io.BytesIO(_FRAMES)
    tags = ID3()
    tags.add(TIT2(encoding=3, text="Zqxtitle"))
    tags.add(TXXX(encoding=3, desc="GPS", text="42.9117N 129.5012E"))
    tags.save(buf)
    return buf.getvalue()


def _pdf() -> bytes:
    w = PdfWriter()
    w.add_blank_page(200, 200)
    w.add_metadata({"/Author": "Zqxauthor", "/Title": "Zqxtitle"})
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def _wav() -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(1)
        w.setframerate(8000)
        w.writeframes(bytes(range(256)) * 4)
    info = b"INFO" + b"INAM" + (10).to_bytes(4, "little") + b"Zqxtitle\0\0"
    body = buf.getvalue()[12:] + b"LIST" + len(info).to_bytes(4, "little") + info
    return b"RIFF" + (len(body) + 4).to_bytes(4, "little") + b"WAVE" + body


def test_pdf_and_sound_evidence_is_stored_clean_and_hashed(
    client: TestClient, clock: Clock, secrets: Secrets, workspace: Workspace
) -> None:
    token = sign_in(client, "doc-1", clock, secrets)
    h = {"X-CSRF-Token": token}
    body = {"language": "ko", "name_hangul": "한미옥", "violation": "FMAR", "event_date": "2004"}
    pid = client.post("/api/testimonies", json=body, headers=h).json()["person_id"]
    stored = {}
    for name, data, kind in (("statement.pdf", _pdf(), "application/pdf"),
                             ("voice.mp3", _mp3(), "audio/mpeg"),
                             ("voice.wav", _wav(), "audio/wav")):  # fmt: skip
        assert b"Zqxtitle" in data
        r = client.post(f"/api/people/{pid}/evidence", headers=h,
                        files={"file": (name, data, kind)})  # fmt: skip
        assert r.status_code == 201, r.text
        out = r.json()
        assert out["metadata_removed"] and out["media_type"] == kind
        got = client.get(f"/evidence/{out['record_id']}").content
        assert hashlib.sha256(got).hexdigest() == out["sha256"] and len(got) == out["size"]
        assert b"Zqxtitle" not in got and b"42.9117N" not in got
        stored[kind] = got
    assert PdfReader(io.BytesIO(stored["application/pdf"])).metadata is None
    assert stored["audio/mpeg"] == _FRAMES and MP3(io.BytesIO(stored["audio/mpeg"])).tags is None
    with wave.open(io.BytesIO(stored["audio/wav"])) as w:
        assert w.readframes(2000) == bytes(range(256)) * 4
    webm = b"\x1aE\xdf\xa3 synthetic Zqxtitle"
    r = client.post(f"/api/people/{pid}/evidence", headers=h,
                    files={"file": ("clip.webm", webm, "video/webm")})  # fmt: skip
    detail = r.json()["detail"]
    assert r.status_code == 400 and "video/webm" in detail and "keep metadata" in detail
    assert "메타데이터 보존" in detail and "clip.webm" not in detail  # the name is sealed data
    r = client.post(f"/api/people/{pid}/evidence", headers=h, data={"keep_metadata": "true"},
                    files={"file": ("clip.webm", webm, "video/webm")})  # fmt: skip
    assert r.status_code == 201 and r.json()["sha256"] == hashlib.sha256(webm).hexdigest()
    assert workspace.count("evidence") == 4
