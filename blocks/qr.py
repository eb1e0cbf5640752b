"""The diary link as a QR code, drawn as SVG in Python (no image library, no system libs).

`qrcode`'s SvgPathImage draws the code as one path; the page and the printed diary card put it
inline, so it prints sharp at any size and needs no image file or data: URL. Medium error
correction keeps it readable on a crumpled card.
"""

import qrcode
import qrcode.image.svg
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def qr_svg(text: str, *, label: str = "QR code of the diary link") -> SafeString:
    """An inline <svg> of `text`, named for screen readers with `label`."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=10,
        border=4,  # the quiet zone the standard asks for: phones find the code faster
        image_factory=qrcode.image.svg.SvgPathImage,
    )
    code.add_data(text)
    code.make(fit=True)
    svg = code.make_image().to_string(encoding="unicode")
    svg = svg.removeprefix("<?xml version='1.0' encoding='UTF-8'?>\n")
    named = f'<svg class="qr" role="img" aria-label="{escape(label)}" '
    return mark_safe(svg.replace("<svg ", named, 1))  # noqa: S308 - drawn here, text escaped
