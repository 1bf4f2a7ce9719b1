"""Merging executed sections into slides: no code, no empty slides, breaks where
helpers ask for them, nothing loaded over the network."""
import nbformat

from anm_helpers.outputs.deck import network_references
from anm_helpers.slides.merge import deck_cells
from anm_helpers.slides.seccion import NUEVA_DIAPOSITIVA


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


# --- the slide model ------------------------------------------------------------------
def elements_out(*elementos, nueva=False):
    from anm_helpers.slides import model as modelo

    return nbformat.v4.new_output("display_data", data={"text/html": "<p>vista de JupyterLab</p>",
                                                        modelo.MIME: modelo.bundle(list(elementos))},
                                  metadata=NUEVA_DIAPOSITIVA if nueva else {})


def test_a_helper_displays_its_elements_with_their_html(monkeypatch):
    from anm_helpers.slides import elements
    from anm_helpers.slides import model as modelo, seccion

    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: shown.append((a, k)))
    monkeypatch.setattr(seccion, "_interactivo", False)  # in a build (seccion.abrir with its context)
    ctx = {"mes": "2024-03", "metricas": {"interacciones": {"presencial": 1000}},
           "cifras": {"interacciones.presencial": "1.000"}, "params": {}}
    seccion.Seccion(ctx).tarjetas(("interacciones.presencial", "Canal Presencial", "presencial"),
                                  ("interacciones.virtual", "Canal Virtual", "virtual"))
    ((bundle,), kwargs), = shown
    assert kwargs["raw"] is True
    (cards,) = bundle[modelo.MIME]["elementos"]
    assert [c["nombre"] for c in cards["tarjetas"]] == ["interacciones.presencial", "interacciones.virtual"]
    assert [(c["cifra"], c["valor"], c["sin_datos"]) for c in cards["tarjetas"]] == \
        [(1000, "1.000", False), (None, "sin datos", True)]
    assert bundle["text/html"] == elements.render([cards]) == (
        '<div class="anm-tarjetas"><div class="anm-tarjeta anm-presencial"><div class="anm-cifra">1.000</div>'
        '<div class="anm-etiqueta">Canal Presencial</div></div><div class="anm-tarjeta anm-virtual anm-sin-datos">'
        '<div class="anm-cifra">sin datos</div><div class="anm-etiqueta">Canal Virtual</div></div></div>')


def test_the_deck_renders_each_helper_output_from_its_elements():
    """Not from the HTML the kernel displayed: the deck and every other output read the same data."""
    from anm_helpers.slides import model as modelo
    from anm_helpers.outputs.deck import export
    from conftest import slides_markup

    nb = nbformat.v4.new_notebook(cells=[
        cell("md", "## Canales", "slide"),
        cell("code", "", "-", [elements_out(modelo.aviso("Nada <b>este</b> mes"))]),
    ])
    markup = slides_markup(export(nb, "2024-03"))
    assert '<div class="anm-aviso">Nada &lt;b&gt;este&lt;/b&gt; mes</div>' in markup
    assert "vista de JupyterLab" not in markup


def test_slides_of_the_model_titles_elements_and_notes():
    from anm_helpers.slides import model as modelo

    nb = nbformat.v4.new_notebook(cells=[
        cell("code", "", "slide", [elements_out(modelo.portada("ANM", "GAPCC", "Informe", "Marzo 2024"))]),
        cell("md", "## Canales **Marzo**\n\nTotal de *interacciones*", "slide"),
        cell("md", "Lo que el analista dice al presentar", "notes"),
        cell("code", "", "-", [elements_out(modelo.aviso("x")),
                               elements_out(modelo.titulo("Análisis"), modelo.texto("y"), nueva=True)]),
    ])
    from anm_helpers.slides.merge import deck_cells

    nb.cells = deck_cells(nb)
    slides = modelo.diapositivas(nb)
    assert [s.titulo for s in slides] == ["Informe", "Canales Marzo", "Análisis"]
    assert [[e["tipo"] for e in s.elementos] for s in slides] == \
        [["portada"], ["titulo", "texto", "aviso"], ["titulo", "texto"]]
    assert slides[1].elementos[1]["markdown"] == "Total de *interacciones*"
    assert slides[1].notas == ["Lo que el analista dice al presentar"]


def test_narrative_as_paragraphs_and_runs():
    from anm_helpers.slides.model import narrativa

    parts = narrativa("Total **4.924** [ANM](https://www.anm.gov.co) [x](javascript:alert(1))\n\n"
                      "- uno\n- dos\n\n3. tres\n\n<p onclick=x>párrafo</p><script>alert(1)</script>")
    assert [(r["texto"], r["negrita"], r["enlace"]) for r in parts[0].runs] == [
        ("Total ", False, None), ("4.924", True, None), (" ", False, None),
        ("ANM", False, "https://www.anm.gov.co"), (" x", False, None)]
    assert [(p.texto, p.nivel, p.numero) for p in parts[1:4]] == [("uno", 1, None), ("dos", 1, None), ("tres", 1, 3)]
    assert parts[4].texto == "párrafo" and len(parts) == 5  # the script's code is not text
