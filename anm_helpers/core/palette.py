"""The agency's palette: one constant per colour, as hexadecimal without «#» (what
python-pptx takes; :func:`css` adds the «#» for matplotlib and HTML). The deck's style
sheet, ``templates/anm/deck.css``, declares the same colours as CSS variables, and
``tests/test_project.py`` keeps both equal."""
from __future__ import annotations

BLUE = "0B3D6E"  # the agency's blue: titles, the cover, the in-person channel
LIGHT_BLUE = "E8EEF5"
PALE_BLUE = "C9D6E4"  # text on blue
GOLD = "D99A00"
COVER_GOLD = "F2C14E"  # the cover's rule
GREEN = "2E7D4F"  # the virtual channel
PHONE_GOLD = "B88400"  # the telephone channel (3:1 on white, unlike GOLD)
INK = "1D2733"  # body text
GREY = "5F6B76"  # secondary text
BORDER = "D5DCE3"
AXIS = "B8C1CA"
NOTICE_FILL = "F4F6F8"
WHITE = "FFFFFF"
PAR_TONE = "4F7FAF"  # regional offices (PAR), each tone 3:1 or more on white
PAL_TONE = "7497BE"  # local offices (PAL)
SOFT_BLUE = "A9C3DD"

#: each channel's colour, the same in every output
CHANNELS = {"presencial": BLUE, "telefonico": PHONE_GOLD, "virtual": GREEN}
#: each kind of office's tone (the offices' ranking)
OFFICE_KINDS = {"sede_central": BLUE, "PAR": PAR_TONE, "PAL": PAL_TONE}
#: the CSS variables of templates/anm/deck.css and their colours
CSS_VARIABLES = {"--anm-azul": BLUE, "--anm-azul-claro": LIGHT_BLUE, "--anm-oro": GOLD, "--anm-verde": GREEN,
                 "--anm-tinta": INK, "--anm-gris": GREY, "--anm-linea": BORDER, "--anm-claro": PALE_BLUE,
                 "--presencial": BLUE, "--telefonico": PHONE_GOLD, "--virtual": GREEN}


def css(color: str) -> str:
    """``#0B3D6E``: the colour as CSS, matplotlib and HTML write it."""
    return f"#{color}"
