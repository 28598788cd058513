"""QR codes drawn on the server as inline SVG (segno), so the leaflet prints them without
JavaScript or an image request."""

import segno


def svg(text: str, title: str = "") -> str:
    code = segno.make(text, error="m", micro=False)
    return code.svg_inline(scale=3, border=2, title=title or None, dark="#000", light="#fff")
