"""Merging executed sections into slides: no code, no empty slides, breaks where
helpers ask for them, nothing loaded over the network."""
import nbformat

from anm_helpers.deck import deck_cells, network_references
from anm_helpers.seccion import NUEVA_DIAPOSITIVA


def out(text, nueva=False):
    return nbformat.v4.new_output("display_data", data={"text/html": text},
                                  metadata=NUEVA_DIAPOSITIVA if nueva else {})


def cell(kind, source="", slide="-", outputs=()):
    c = nbformat.v4.new_markdown_cell(source) if kind == "md" else nbformat.v4.new_code_cell(source)
    c.metadata["slideshow"] = {"slide_type": slide}
    if kind == "code":
        c.outputs = list(outputs)
    return c


def kinds(cells):
    return [c.metadata["slideshow"]["slide_type"] for c in cells]


def test_code_without_output_and_skipped_cells_vanish():
    nb = nbformat.v4.new_notebook(cells=[
        cell("code", "mes = '2024-03'", "skip"),
        cell("code", "s = abrir(mes)", "-"),
        cell("md", "## A", "slide"),
        cell("code", "s.tarjetas()", "-", [out("<b>1</b>"), nbformat.v4.new_output("stream", text="log")]),
    ])
    cells = deck_cells(nb)
    assert kinds(cells) == ["slide", "-"]
    assert all(c.source == "" for c in cells if c.cell_type == "code")  # inputs never reach the deck
    assert [o.output_type for o in cells[1].outputs] == ["display_data"]  # streams dropped


def test_helper_slides_split_and_empty_slide_start_passes_on():
    nb = nbformat.v4.new_notebook(cells=[
        cell("code", "", "slide", [out("a", True), out("a2"), out("b", True), out("c", True)]),
        cell("code", "nothing this month", "slide", []),
        cell("md", "continuation", "-"),
    ])
    cells = deck_cells(nb)
    assert kinds(cells) == ["slide", "slide", "slide", "slide"]
    assert [len(c.outputs) for c in cells[:3]] == [2, 1, 1]


def test_network_references_are_found():
    assert network_references('<script src="https://cdn.example/x.js"></script>')
    assert network_references("<style>@font-face{src:url(//fonts.example/f.woff)}</style>")
    assert network_references('<link href="http://x/y.css">')
    assert network_references('<img src="https://x/y.png"> <a href="https://www.anm.gov.co">ANM</a>')
    # a link loads nothing until a reader follows it
    assert network_references('<p>Vea <a href="https://www.anm.gov.co" title="ANM">la página</a>.</p>') == []
    assert not network_references("<p>contacto@anm.gov.co · www.anm.gov.co</p><img src=\"data:image/png;base64,AA\">")
