"""Metadata stripping for uploaded images with Pillow: the pixels stay, EXIF, XMP, comments and text go.

What is kept, and how:

- **PNG** is re-encoded losslessly: the same pixels, mode, palette and transparency, the ICC colour profile
  and the resolution (dpi). Text chunks (tEXt, zTXt, iTXt, XMP among them), eXIf and tIME are dropped; an
  animated PNG keeps its first frame only.
- **JPEG** cannot be re-encoded losslessly by Pillow, so it is re-encoded with the original's quantisation
  tables and chroma subsampling (``quality="keep"``), which leaves the image visually unchanged; the ICC
  profile and resolution are kept. EXIF (GPS position, camera, times), XMP, comments and other APP segments
  are dropped. An EXIF orientation is applied to the pixels first, so the photo still shows upright; such a
  turned photo, or a multi-picture (MPO) one, is written at quality 95 instead.
"""

from __future__ import annotations

import warnings
from typing import IO, Any

from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from .kinds import FileKind, FileRefused

__all__ = ["MAX_PIXELS", "KEPT", "strip_metadata"]

#: the largest image accepted (width x height); a bigger one is refused ``too_large`` before it is decoded
MAX_PIXELS = 60_000_000
#: what survives the stripping, by kind (the API reports it with each upload)
KEPT: dict[str, tuple[str, ...]] = {
    "png": ("pixels", "icc_profile", "dpi", "transparency"),
    "jpeg": ("pixels", "icc_profile", "dpi"),
}
# Pillow's decoders report a broken file with any of these
_BROKEN = (UnidentifiedImageError, OSError, ValueError, EOFError, SyntaxError, Image.DecompressionBombError)


def strip_metadata(kind: FileKind, source: IO[bytes], target: IO[bytes], *, max_pixels: int = MAX_PIXELS) -> None:
    """Write ``source`` (a PNG or JPEG, as sniffed) to ``target`` without its metadata (see the module text).

    Raises ``FileRefused("too_large")`` past ``max_pixels`` and ``FileRefused("corrupt")`` when the image does
    not decode.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Only the sniffed format's opener: Pillow's JPEG opener itself returns an MPO image for a JPEG with an
            # MP index. Naming "MPO" as well made Pillow look it up in its registry after a failed JPEG open, and
            # a registry without it (plugins not all imported) raised KeyError: a 500 instead of "corrupt".
            with Image.open(source, formats=["JPEG"] if kind.name == "jpeg" else ["PNG"]) as im:
                if im.width * im.height > max_pixels:
                    raise FileRefused("too_large")
                im.load()
                if kind.name == "png":
                    _png(im, target)
                else:
                    _jpeg(im, target)
    except Image.DecompressionBombWarning:
        raise FileRefused("too_large") from None
    except _BROKEN:
        raise FileRefused("corrupt") from None


def _common(im: Image.Image) -> dict[str, Any]:
    """The encoder options every kind keeps: ICC profile and resolution; nothing else from ``im.info``."""
    options: dict[str, Any] = {}
    if im.info.get("icc_profile"):
        options["icc_profile"] = im.info["icc_profile"]
    if im.info.get("dpi"):
        options["dpi"] = im.info["dpi"]
    return options


def _upright(im: Image.Image) -> Image.Image | None:
    """The image turned as its EXIF orientation says, or None when it needs no turn."""
    if im.getexif().get(ExifTags.Base.Orientation, 1) in (0, 1):
        return None
    return ImageOps.exif_transpose(im)


def _png(im: Image.Image, target: IO[bytes]) -> None:
    options = _common(im)
    if "transparency" in im.info:
        options["transparency"] = im.info["transparency"]
    image = _upright(im) or im
    # no pnginfo and no exif: Pillow writes text, XMP and eXIf chunks only when given them
    image.save(target, "PNG", **options)


def _jpeg(im: Image.Image, target: IO[bytes]) -> None:
    options = _common(im)
    turned = _upright(im)
    if turned is None and im.format == "JPEG":
        options.update(quality="keep", subsampling="keep")
    else:
        options.update(quality=95)
    image = turned or im
    if image.mode not in ("RGB", "L", "CMYK"):
        image = image.convert("RGB")
    # comment=b"": Pillow otherwise copies the source's COM segment; exif and xmp are written only when given
    image.save(target, "JPEG", comment=b"", **options)
