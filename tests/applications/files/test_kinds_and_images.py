"""The file checks of applications.files: type from the bytes, claims that disagree, metadata stripped."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops, ImageStat

from applications.files import KEPT, FileRefused, prepare, sniff, strip_metadata

from .samples import GPS_MARKER, PDF, jpeg_with_exif, png_with_text


@pytest.mark.parametrize("data, kind", [(PDF, "pdf"), (jpeg_with_exif(), "jpeg"), (png_with_text(), "png")])
def test_the_kind_comes_from_the_bytes(data, kind):
    """PDF, JPEG and PNG are told apart by their first bytes."""
    assert sniff(data[:8]).name == kind


@pytest.mark.parametrize("data", [b"", b"GIF89a\x01\x00", b"PK\x03\x04zip", b"<html>", b"%PD"])
def test_other_bytes_are_unsupported(data):
    """Anything else, however it is named, is ``unsupported_type``."""
    with pytest.raises(FileRefused) as refused:
        prepare(io.BytesIO(data), name="scan.pdf", media_type="application/pdf", max_bytes=1000)
    assert refused.value.reason == "unsupported_type"


@pytest.mark.parametrize("name, media_type", [("scan.pdf", None), (None, "application/pdf"), ("a.png", "image/png"),
                                              ("photo.jpg", "image/png"), ("photo.txt", None)])
def test_a_claim_that_disagrees_with_the_bytes_is_refused(name, media_type):
    """A JPEG called a PDF (by its name or its media type) is ``type_mismatch``."""
    with pytest.raises(FileRefused) as refused:
        prepare(io.BytesIO(jpeg_with_exif()), name=name, media_type=media_type, max_bytes=10**6)
    assert refused.value.reason == "type_mismatch"


@pytest.mark.parametrize("name, media_type", [(None, None), ("照片.jpg", "image/jpeg"),
                                              ("扫描件", "application/octet-stream"), ("photo.JPEG", "image/jpg")])
def test_a_claim_of_nothing_or_the_same_kind_passes(name, media_type):
    """No name, an unknown ending or octet-stream claims nothing; the right type in any spelling agrees."""
    assert prepare(io.BytesIO(jpeg_with_exif()), name=name, media_type=media_type, max_bytes=10**6).kind.name == "jpeg"


def test_a_file_over_the_cap_is_too_large_before_it_is_read():
    """One byte over ``max_bytes`` is ``too_large``."""
    with pytest.raises(FileRefused) as refused:
        prepare(io.BytesIO(PDF), name=None, media_type=None, max_bytes=len(PDF) - 1)
    assert refused.value.reason == "too_large"
    assert prepare(io.BytesIO(PDF), name=None, media_type=None, max_bytes=len(PDF)).size == len(PDF)


def test_a_pdf_is_kept_as_sent():
    """A PDF's bytes are stored unchanged, under their SHA-256."""
    import hashlib

    prepared = prepare(io.BytesIO(PDF), name="a.pdf", media_type="application/pdf", max_bytes=10**6)
    assert prepared.stream.read() == PDF
    assert prepared.digest == hashlib.sha256(PDF).hexdigest() and prepared.kept == ("original",)


def test_jpeg_loses_exif_xmp_and_comment_and_keeps_its_picture():
    """The stripped JPEG has no EXIF, XMP or comment left, and the same size and (nearly) the same pixels."""
    original = jpeg_with_exif()
    prepared = prepare(io.BytesIO(original), name="p.jpg", media_type="image/jpeg", max_bytes=10**6)
    data = prepared.stream.read()
    assert GPS_MARKER.encode() not in data
    with Image.open(io.BytesIO(data)) as stripped, Image.open(io.BytesIO(original)) as before:
        assert dict(stripped.getexif()) == {}
        assert "comment" not in stripped.info and "xmp" not in stripped.info
        assert stripped.size == before.size
        assert stripped.quantization == before.quantization  # re-encoded with the original's tables
        difference = ImageStat.Stat(ImageChops.difference(stripped.convert("RGB"), before.convert("RGB")))
        assert max(difference.mean) < 2  # one more JPEG generation with the same tables: rounding only
    assert prepared.kept == KEPT["jpeg"]


def test_a_turned_photo_is_turned_upright_before_its_exif_goes():
    """EXIF orientation 6 (turned 90°) is applied to the pixels, so the photo still shows upright."""
    prepared = prepare(io.BytesIO(jpeg_with_exif((48, 32), orientation=6)), name=None, media_type=None,
                       max_bytes=10**6)
    with Image.open(prepared.stream) as stripped:
        assert stripped.size == (32, 48) and dict(stripped.getexif()) == {}


def test_png_loses_its_text_chunks_and_keeps_every_pixel():
    """The stripped PNG has no text, XMP or eXIf, and exactly the original pixels (lossless)."""
    original = png_with_text()
    prepared = prepare(io.BytesIO(original), name="a.png", media_type="image/png", max_bytes=10**6)
    data = prepared.stream.read()
    assert GPS_MARKER.encode() not in data and "张伟".encode() not in data
    with Image.open(io.BytesIO(data)) as stripped, Image.open(io.BytesIO(original)) as before:
        assert stripped.text == {} and dict(stripped.getexif()) == {}
        assert stripped.mode == before.mode and stripped.tobytes() == before.tobytes()


@pytest.mark.parametrize("make", [png_with_text, jpeg_with_exif])
def test_a_cut_image_is_corrupt(make):
    """An image cut short does not decode: ``corrupt``, not a crash."""
    data = make()[:60]
    with pytest.raises(FileRefused) as refused:
        prepare(io.BytesIO(data), name=None, media_type=None, max_bytes=10**6)
    assert refused.value.reason == "corrupt"


def test_too_many_pixels_is_too_large():
    """An image over the pixel cap is refused before it is decoded."""
    with pytest.raises(FileRefused) as refused:
        strip_metadata(sniff(b"\x89PNG\r\n\x1a\n"), io.BytesIO(png_with_text((40, 30))), io.BytesIO(), max_pixels=1000)
    assert refused.value.reason == "too_large"


def test_a_jpeg_with_an_mp_index_is_kept_as_a_plain_jpeg():
    """A phone's JPEG carrying a multi-picture index (MPO) opens through the JPEG opener alone and comes out as
    one plain JPEG without its metadata."""
    first, second = Image.new("RGB", (40, 30), (200, 10, 10)), Image.new("RGB", (40, 30), (10, 200, 10))
    source = io.BytesIO()
    first.save(source, "MPO", save_all=True, append_images=[second])
    source.seek(0)
    assert Image.open(io.BytesIO(source.getvalue())).format == "MPO"
    out = io.BytesIO()
    strip_metadata(sniff(source.getvalue()[:8]), source, out)
    with Image.open(io.BytesIO(out.getvalue())) as kept:
        assert kept.format == "JPEG" and kept.size == (40, 30) and not kept.getexif()


@pytest.mark.parametrize("data", [b"\xff\xd8\xff\xe0" + b"\x00" * 60, b"\xff\xd8\xff" + bytes(range(256)) * 4])
def test_bytes_that_start_like_a_jpeg_but_do_not_decode_are_corrupt(data):
    """A JPEG signature over garbage is ``corrupt``, whatever Pillow's plugin registry holds."""
    with pytest.raises(FileRefused) as refused:
        strip_metadata(sniff(data[:8]), io.BytesIO(data), io.BytesIO())
    assert refused.value.reason == "corrupt"
