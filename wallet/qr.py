"""QR images of QD1 texts: render PNG and SVG (alphanumeric mode via zxing-cpp), and read photos back.

The symbol is encoded by zxing-cpp (its writer is Zint: segment optimisation and mask search in C);
this module only lays out pixels. The PNG is written directly as a 1-bit greyscale image, one packed
row per module row repeated ``scale`` times, which is what makes rendering an order of magnitude
faster than the pure-Python ``qrcode`` package while producing the same symbol version.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from typing import TYPE_CHECKING

from PIL import Image, UnidentifiedImageError

from wallet.errors import InvalidCredential

if TYPE_CHECKING:
    import zxingcpp

__all__ = ["ALPHANUMERIC", "LEVELS", "qr_version", "module_matrix", "render_png", "render_svg", "read_image"]

#: The 45 characters of QR alphanumeric mode; Base45 (RFC 9285) and the QD1 prefix use only these.
ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
LEVELS = ("L", "M", "Q", "H")
_ALNUM_TEXT = re.compile(r"^[0-9A-Z $%*+\-./:]+\Z")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_MAX_PIXELS = 40_000_000  # a phone photo is ~12-50 MP; refuse decompression bombs well before memory hurts


# zxing-cpp is imported inside the functions that use it, on first use. A gunicorn worker freezes its
# start-up heap out of the collector's reach (zwt.gunicorn_conf); nanobind objects created before that
# freeze would still be alive at exit, and nanobind reports each one as a leak. Loaded later, they are
# ordinary objects, freed as the worker exits. After the first call the import is a dictionary look-up.


def _symbol(text: str, level: str) -> zxingcpp.Barcode:
    if level not in LEVELS:
        raise ValueError(f"error-correction level must be one of {', '.join(LEVELS)}, not {level!r}")
    if not _ALNUM_TEXT.match(text):
        raise ValueError("a QD1 text uses only the QR alphanumeric characters 0-9 A-Z space $%*+-./:")
    try:
        import zxingcpp

        return zxingcpp.create_barcode(text, zxingcpp.QRCode, ec_level=level)
    except (RuntimeError, ValueError) as exc:  # zxing-cpp raises when the text exceeds version 40
        raise ValueError(f"text does not fit in a QR code at level {level}: {exc}") from None


def module_matrix(text: str, level: str = "M") -> tuple[int, bytes]:
    """Return the symbol's side in modules and its modules row by row (0 dark, 255 light), no border."""
    image = _symbol(text, level).to_image(scale=1, add_quiet_zones=False)
    side = int(image.shape[0])
    # zxing-cpp's Image implements the buffer protocol; its type stub does not say so.
    return side, memoryview(image).tobytes()  # type: ignore[arg-type]


def qr_version(text: str, level: str = "M") -> int:
    """Return the QR version (1-40) that ``text`` needs at ``level``."""
    side, _ = module_matrix(text, level)
    return (side - 17) // 4


def _chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def render_png(text: str, *, level: str = "M", scale: int = 6, border: int = 4) -> bytes:
    """Return a 1-bit greyscale PNG of the QR code: ``scale`` pixels a module, a ``border``-module margin."""
    if not 1 <= scale <= 64 or not 0 <= border <= 32:
        raise ValueError("scale must be 1-64 pixels and border 0-32 modules")
    side, modules = module_matrix(text, level)
    full = side + 2 * border
    light_row = b"\xff" * full
    rows = [light_row] * border
    rows += [b"\xff" * border + modules[r * side:(r + 1) * side] + b"\xff" * border for r in range(side)]
    rows += [light_row] * border
    # Pillow packs the bits and widens each module to ``scale`` pixels in C; height is repeated below.
    wide = Image.frombytes("L", (full, full), b"".join(rows)).convert("1").resize(
        (full * scale, full), Image.Resampling.NEAREST
    )
    packed, stride = wide.tobytes(), (full * scale + 7) // 8
    raw = b"".join((b"\x00" + packed[r * stride:(r + 1) * stride]) * scale for r in range(full))
    header = struct.pack(">IIBBBBB", full * scale, full * scale, 1, 0, 0, 0, 0)
    idat = zlib.compress(raw, 6)
    return _PNG_SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def render_svg(text: str, *, level: str = "M", border: int = 4) -> str:
    """Return an SVG of the QR code: a white background and one path of dark runs, one unit per module."""
    if not 0 <= border <= 32:
        raise ValueError("border must be 0-32 modules")
    side, modules = module_matrix(text, level)
    full = side + 2 * border
    parts = []
    for y in range(side):
        row = modules[y * side:(y + 1) * side]
        for run in re.finditer(rb"\x00+", row):
            x, length = run.start() + border, run.end() - run.start()
            parts.append(f"M{x} {y + border}h{length}v1H{x}z")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {full} {full}" '
        f'width="{full * 4}" height="{full * 4}" shape-rendering="crispEdges">'
        f'<rect width="{full}" height="{full}" fill="#fff"/><path fill="#000" d="{"".join(parts)}"/></svg>'
    )


def read_image(data: bytes) -> str:
    """Return the text of the QR code in a PNG/JPEG photo or screenshot, or raise ``InvalidCredential``."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            if opened.width * opened.height > _MAX_PIXELS:
                raise InvalidCredential("no_qr_code", f"image of {opened.width}x{opened.height} is too large")
            image = opened.convert("L")
    # Pillow's decoders report a broken file as OSError, ValueError, EOFError, struct.error or SyntaxError
    # (a PNG chunk header inside the image data: "broken PNG file"), whichever layer notices first.
    except (UnidentifiedImageError, OSError, ValueError, EOFError, struct.error, SyntaxError,
            Image.DecompressionBombError) as exc:
        raise InvalidCredential("no_qr_code", f"not a readable image: {exc}") from None
    import zxingcpp

    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormats(zxingcpp.QRCode),
                                   text_mode=zxingcpp.TextMode.Plain)
    texts = [code.text for code in found if code.valid and code.text]
    if not texts:
        raise InvalidCredential("no_qr_code", "no readable QR code in the image")
    return texts[0]
