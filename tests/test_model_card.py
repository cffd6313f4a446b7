"""Model cards: JSON-LD (rdflib) and MODA-style Markdown from the model tree, without solving."""

import json

import pytest

from scalebridge.apps import load_app
from scalebridge.core.checks import run_checks
from scalebridge.core.describe import describe, describe_json, quantity_kind
from scalebridge.core.units import ureg
from scalebridge.model_card import model_card_jsonld, model_card_markdown
from scalebridge.scenario import load_scenario

rdflib = pytest.importorskip("rdflib")


@pytest.fixture(scope="module")
def catalysis():
    s = load_scenario(load_app("catalysis").SCENARIOS["co_oxidation"])
    model = s.app.build(s.config)
    return model, describe(model)


def test_describe_is_strict_json_with_quantity_kinds_and_cards(catalysis):
    model, doc = catalysis
    text = describe_json(model)                              # allow_nan=False: no Infinity in the document
    assert json.loads(text)["scale"]["time_s"] is None       # a steady reactor has no finite time scale
    assert doc["inputs"]["inlet_concentration"]["quantity_kind"] == "AmountOfSubstanceConcentration"
    assert quantity_kind("K") == "Temperature" and quantity_kind("degC") == "Temperature"
    assert quantity_kind("1/(s*Pa)") == str(ureg("1/(s*Pa)").dimensionality)   # no named kind: the dimension
    tst = doc["children"][0]["children"][0]["children"][0]["children"][0]["children"][0]
    assert tst["card"]["role"] == "bridging law" and tst["card"]["references"]


def test_jsonld_round_trips_through_rdflib_with_emmo_and_qudt_terms(catalysis):
    _, doc = catalysis
    card = model_card_jsonld(doc)
    assert {"emmo", "qudt", "qudtkind", "dcterms", "prov", "sb"} <= set(card["@context"])
    g = rdflib.Graph().parse(data=json.dumps(card), format="json-ld")
    emmo, sb = rdflib.Namespace("https://w3id.org/emmo#"), rdflib.Namespace("https://w3id.org/scalebridge/ns#")
    models = set(g.subjects(rdflib.RDF.type, emmo.ContinuumModel)) | set(g.subjects(rdflib.RDF.type, emmo.AtomisticModel)) \
        | set(g.subjects(rdflib.RDF.type, emmo.MesoscopicModel))
    assert len(models) == 7                                   # every node of the tree is typed by its MODA category
    labels = {str(g.value(m, rdflib.RDFS.label)) for m in models}
    assert {"reactor (plug flow)", "atomistic (TST)", "surface (mean field)"} <= labels
    assert (None, rdflib.RDF.type, emmo.MaterialsRelation) in g and (None, sb.coupling, rdflib.Literal("hierarchical")) in g
    kinds = set(g.objects(None, rdflib.URIRef("http://qudt.org/schema/qudt/hasQuantityKind")))
    assert rdflib.URIRef("http://qudt.org/vocab/quantitykind/Temperature") in kinds


def test_markdown_has_the_four_moda_sections_and_the_checks(catalysis):
    model, doc = catalysis
    page = model_card_markdown(doc, run_checks(model))
    for heading in ("## 1. User case", "## 2. Chain of models", "## 3. Couplings", "## 4. Checks and validation"):
        assert heading in page
    assert "| 0.0.0.0.0.0 | atomistic (TST) | atomistic | bridging law |" in page
    assert "hierarchical strategy" in page and "tests/laws/test_kinetics.py" in page
    assert page.count("| pass |") == len(run_checks(model))
