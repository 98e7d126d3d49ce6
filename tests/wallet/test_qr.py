"""QR rendering and reading: every image decodes back to its text, versions stay within the spec."""

from __future__ import annotations

import io
import re
import struct
import zlib

import pytest
import qrcode
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from wallet.errors import InvalidCredential
from wallet.qr import ALPHANUMERIC, module_matrix, qr_version, read_image, render_png, render_svg

ERROR_LEVELS = {"L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M,
                "Q": qrcode.constants.ERROR_CORRECT_Q, "H": qrcode.constants.ERROR_CORRECT_H}


def qd1_texts(min_size: int = 100, max_size: int = 800) -> st.SearchStrategy[str]:
    """QD1-shaped texts: the prefix and Base45-alphabet characters."""
    return st.text(ALPHANUMERIC, min_size=min_size - 4, max_size=max_size - 4).map(lambda s: "QD1:" + s)


def text_of_length(n: int) -> str:
    """A deterministic QD1-shaped text of ``n`` characters that does not compress into numeric mode."""
    body = "".join(ALPHANUMERIC[(i * 7 + i // 45) % 45] for i in range(n - 4))
    return "QD1:" + body


def png_header(data: bytes) -> tuple[int, int, int, int]:
    """Width, height, bit depth and colour type from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    return width, height, depth, colour


def rasterize_svg(svg: str, scale: int = 5) -> bytes:
    """Draw our SVG's rectangles and path (M x y h w v1 H x z runs) with Pillow and return a PNG."""
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))  # type: ignore[union-attr]
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    for x, y, w in re.findall(r"M(\d+) (\d+)h(\d+)v1H\d+z", svg):
        left, top = int(x) * scale, int(y) * scale
        draw.rectangle((left, top, left + int(w) * scale - 1, top + scale - 1), fill=0)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@settings(max_examples=30, deadline=None)
@given(qd1_texts(), st.sampled_from(["M", "Q"]))
def test_png_round_trip(text: str, level: str) -> None:
    """Every rendered PNG, at screen and print levels, decodes back to exactly its text."""
    assert read_image(render_png(text, level=level)) == text


@settings(max_examples=15, deadline=None)
@given(qd1_texts(), st.sampled_from(["M", "Q"]))
def test_svg_round_trip(text: str, level: str) -> None:
    """The SVG's single path, drawn as pixels, decodes back to its text."""
    svg = render_svg(text, level=level)
    assert svg.count("<path") == 1
    assert read_image(rasterize_svg(svg)) == text


@pytest.mark.parametrize(("scale", "border"), [(1, 4), (4, 4), (6, 4), (8, 2), (3, 0)])
def test_png_is_compact_one_bit_greyscale(scale: int, border: int) -> None:
    """The PNG is 1-bit greyscale, sized (modules + 2 x border) x scale."""
    text = text_of_length(530)
    side, _ = module_matrix(text)
    data = render_png(text, scale=scale, border=border)
    assert png_header(data) == ((side + 2 * border) * scale, (side + 2 * border) * scale, 1, 0)
    image = Image.open(io.BytesIO(data))
    assert image.mode == "1"
    # With a quiet zone the corner is light; without one it is the dark corner of a finder pattern.
    assert image.getpixel((0, 0)) == (255 if border else 0)


def test_png_pixels_match_the_modules() -> None:
    """Each module becomes a scale x scale block inside a light quiet zone of 4 modules."""
    text = text_of_length(200)
    side, modules = module_matrix(text)
    scale, border = 3, 4
    image = Image.open(io.BytesIO(render_png(text, scale=scale, border=border))).convert("L")
    for y in range(side):
        for x in range(side):
            pixel = image.getpixel(((x + border) * scale + 1, (y + border) * scale + 1))
            assert pixel == modules[y * side + x]
    assert all(image.getpixel((x, 5)) == 255 for x in range(image.width))


@pytest.mark.parametrize("n", [100, 300, 530, 560, 760, 800])
@pytest.mark.parametrize("level", ["M", "Q"])
def test_version_matches_an_independent_encoder(n: int, level: str) -> None:
    """Our version agrees with the qrcode package's fitting, so the text is alphanumeric-encoded."""
    text = text_of_length(n)
    reference = qrcode.QRCode(error_correction=ERROR_LEVELS[level])
    reference.add_data(text)
    reference.make(fit=True)
    assert qr_version(text, level) == reference.version


def test_versions_stay_within_the_spec() -> None:
    """A 560-character license fits version 15 at M, 800 characters version 18, never above 22."""
    assert qr_version(text_of_length(560), "M") <= 15
    assert qr_version(text_of_length(800), "M") <= 18
    assert qr_version(text_of_length(800), "Q") <= 22


def test_byte_mode_would_not_fit() -> None:
    """The same length in lower case (byte mode) needs a larger symbol: alphanumeric mode matters."""
    text = text_of_length(530)
    reference = qrcode.QRCode(error_correction=ERROR_LEVELS["M"])
    reference.add_data(text.lower().encode())
    reference.make(fit=True)
    assert reference.version > qr_version(text, "M")


def photo_of(png: bytes, *, factor: float, angle: float, quality: int) -> bytes:
    """Simulate a phone photo: scale, rotate slightly, place on a grey table, JPEG-compress."""
    code = Image.open(io.BytesIO(png)).convert("RGB")
    size = (int(code.width * factor), int(code.height * factor))
    code = code.resize(size, Image.Resampling.BILINEAR).rotate(
        angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=(255, 255, 255)
    )
    table = Image.new("RGB", (code.width + 160, code.height + 120), (140, 130, 120))
    table.paste(code, (90, 50))
    out = io.BytesIO()
    table.save(out, "JPEG", quality=quality)
    return out.getvalue()


@pytest.mark.parametrize(("factor", "angle", "quality"), [(0.83, 0.0, 70), (1.27, 4.0, 60), (0.9, -7.0, 50)])
def test_jpeg_photo_still_reads(factor: float, angle: float, quality: int) -> None:
    """A scaled, slightly rotated, JPEG-compressed photo of a screen code still reads."""
    text = text_of_length(560)
    photo = photo_of(render_png(text, scale=6), factor=factor, angle=angle, quality=quality)
    assert photo[:2] == b"\xff\xd8"
    assert read_image(photo) == text


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not an image at all",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
    ],
)
def test_unreadable_bytes_are_no_qr_code(data: bytes) -> None:
    """Bytes that are no image raise the library's exception with reason no_qr_code."""
    with pytest.raises(InvalidCredential) as info:
        read_image(data)
    assert info.value.reason == "no_qr_code"


def test_image_without_code_is_no_qr_code() -> None:
    """A blank picture has no code to read."""
    out = io.BytesIO()
    Image.new("L", (300, 300), 200).save(out, "PNG")
    with pytest.raises(InvalidCredential) as info:
        read_image(out.getvalue())
    assert info.value.reason == "no_qr_code"


@pytest.mark.parametrize("length", [1, 8, "half"])
def test_a_png_whose_image_data_chunk_is_cut_is_no_qr_code(length: int | str) -> None:
    """An IDAT chunk whose length field is short, so Pillow meets a chunk header inside the image data, is
    no_qr_code: Pillow raises SyntaxError ("broken PNG file") there, which escaped read_image until the atheris
    run of bench/fuzz_qd1.py found it."""
    png = render_png("QD1:TEST", scale=2, border=1)
    at = png.index(b"IDAT") - 4
    cut = struct.unpack(">I", png[at:at + 4])[0] // 2 if length == "half" else length
    with pytest.raises(InvalidCredential) as info:
        read_image(png[:at] + struct.pack(">I", cut) + png[at + 4:])
    assert info.value.reason == "no_qr_code"


def test_huge_image_is_refused_before_decoding() -> None:
    """A tiny file declaring an enormous canvas is refused instead of being decompressed."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", 8_000, 8_000, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1001 * 100)
    bomb = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    with pytest.raises(InvalidCredential) as info:
        read_image(bomb)
    assert info.value.reason == "no_qr_code"
    assert "too large" in info.value.detail


@pytest.mark.parametrize(
    ("text", "level"),
    [("qd1:lowercase", "M"), ("QD1:ABC", "X"), ("QD1:" + "A" * 5000, "M"), ("", "M")],
)
def test_render_rejects_bad_input(text: str, level: str) -> None:
    """Non-alphanumeric text, unknown levels and over-long texts are refused with ValueError."""
    with pytest.raises(ValueError):
        render_png(text, level=level)
