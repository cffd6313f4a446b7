"""Model cards: a multiscale model described for machines (JSON-LD) and for people (MODA-style Markdown).

Both are built from :func:`scalebridge.core.describe.describe`, so they need no solve.

**JSON-LD.** The tree becomes an RDF graph (rdflib) and is serialised as JSON-LD.
Terms come from established vocabularies where one fits: ``emmo:`` for the kinds of
model and the roles of its parts, ``qudt:`` quantity kinds for ports, ``dcterms:``
for titles and references, ``prov:`` for validation; the few terms with no standard
home (the characteristic length and time of a scale, the batch shape of a port, the
kind of coupling) are in the ``sb:`` namespace. The EMMO/MODA notions used: a model is
*electronic*, *atomistic*, *mesoscopic* or *continuum* (here from its characteristic
length: below 0.1 nm, below 10 nm, below 10 µm, above); a part is a *physics equation*
(solver), a *materials relation* (bridging law or closure) or a *surrogate/strategy*;
a chain of models is an ``sb:Chain``.

**Markdown.** The four sections of a MODA (Materials Modelling Data) description
(CEN Workshop Agreement CWA 17284:2018): the user case, the chain of models, the
couplings (how the scales talk), and the checks and validation.

References: CEN CWA 17284:2018, *Materials modelling — terminology, classification
and metadata*; European Materials Modelling Ontology (EMMO), https://w3id.org/emmo;
QUDT quantity kinds, http://qudt.org/vocab/quantitykind/.
"""

from __future__ import annotations

import json
from typing import Any, Iterator

from .core.optional import require

__all__ = ["model_card_jsonld", "model_card_markdown", "MODA_CATEGORIES"]

SB = "https://w3id.org/scalebridge/ns#"
EMMO = "https://w3id.org/emmo#"
QUDT_KIND = "http://qudt.org/vocab/quantitykind/"

#: MODA model categories by characteristic length (m, upper bound).
MODA_CATEGORIES = ((1e-10, "ElectronicModel"), (1e-8, "AtomisticModel"), (1e-5, "MesoscopicModel"),
                   (float("inf"), "ContinuumModel"))
_ROLES = {"bridging law": "MaterialsRelation", "closure": "MaterialsRelation", "solver": "PhysicsEquation",
          "surrogate": "DataBasedModel", "strategy": "DataBasedModel"}


def _category(length_m: float | None) -> str:
    if length_m is None:
        return "ContinuumModel"
    return next(name for bound, name in MODA_CATEGORIES if length_m < bound)


def _nodes(doc: dict, path: str = "") -> Iterator[tuple[str, dict]]:
    """Every node of a describe() tree with a path id (``0``, ``0.1``, ...)."""
    here = path or "0"
    yield here, doc
    for i, child in enumerate(doc.get("children", [])):
        yield from _nodes(child, f"{here}.{i}")


def model_card_jsonld(doc: dict[str, Any], base: str = "urn:scalebridge:model:") -> dict[str, Any]:
    """The model tree ``doc`` (from ``describe``) as a JSON-LD document (a dict), via an rdflib graph.

    Needs rdflib: ``pip install 'scalebridge[cards]'``.
    """
    rdflib = require("rdflib", extra="cards")
    from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

    sb, emmo, kind = rdflib.Namespace(SB), rdflib.Namespace(EMMO), rdflib.Namespace(QUDT_KIND)
    qudt = rdflib.Namespace("http://qudt.org/schema/qudt/")
    g = rdflib.Graph(bind_namespaces="none")
    for prefix, ns in (("sb", sb), ("emmo", emmo), ("qudtkind", kind), ("qudt", qudt), ("dcterms", DCTERMS),
                       ("prov", PROV)):
        g.bind(prefix, ns)
    uri = {path: rdflib.URIRef(f"{base}{path}") for path, _ in _nodes(doc)}
    lit = rdflib.Literal
    for path, node in _nodes(doc):
        m, scale = uri[path], node["scale"]
        g.add((m, RDF.type, emmo[_category(scale["length_m"])]))
        g.add((m, RDFS.label, lit(node["name"])))
        g.add((m, sb.implementation, lit(node["type"])))
        g.add((m, sb.scaleName, lit(scale["name"])))
        if node.get("couplings") is not None and "card" not in node:
            g.add((m, RDF.type, sb.Chain))
        for key, unit in (("length_m", "characteristicLength"), ("time_s", "characteristicTime")):
            if scale[key] is not None:
                g.add((m, sb[unit], lit(scale[key], datatype=XSD.double)))
        card = node.get("card", {})
        if "role" in card:
            g.add((m, RDF.type, emmo[_ROLES.get(card["role"], "Model")]))
            g.add((m, sb.role, lit(card["role"])))
        if "physics" in card:
            g.add((m, DCTERMS.description, lit(card["physics"])))
        for text in card.get("assumptions", []):
            g.add((m, sb.assumption, lit(text)))
        for text in card.get("references", []):
            g.add((m, DCTERMS.references, lit(text)))
        for i, v in enumerate(card.get("validation", [])):
            act = rdflib.URIRef(f"{m}/validation/{i}")
            g.add((m, PROV.wasInfluencedBy, act))
            g.add((act, RDF.type, PROV.Activity))
            g.add((act, RDFS.label, lit(v.get("test", ""))))
            g.add((act, DCTERMS.references, lit(v.get("reference", ""))))
            g.add((act, sb.status, lit(v.get("status", "unknown"))))
        if node.get("coupling"):
            g.add((m, sb.coupling, lit(node["coupling"])))
        for direction, prop in (("inputs", emmo.hasInput), ("outputs", emmo.hasOutput)):
            for name, port in node[direction].items():
                p = rdflib.URIRef(f"{m}/{direction}/{name}")
                g.add((m, prop, p))
                g.add((p, RDFS.label, lit(name)))
                g.add((p, qudt.hasQuantityKind, kind[port["quantity_kind"]] if port["quantity_kind"].isidentifier()
                       else lit(port["quantity_kind"])))
                g.add((p, qudt.unit, lit(port["unit"])))
                g.add((p, sb.shape, lit(json.dumps(port["shape"]))))
                if port["description"]:
                    g.add((p, DCTERMS.description, lit(port["description"])))
        for child_path in (f"{path}.{i}" for i in range(len(node.get("children", [])))):
            g.add((m, emmo.hasSpatialDirectPart, uri[child_path]))
        for c in node.get("couplings", []):
            link = rdflib.BNode()
            g.add((m, sb.connection, link))
            g.add((link, sb.source, lit(c["from"])))
            g.add((link, sb.target, lit(c["to"])))
            g.add((link, qudt.unit, lit(c["unit"])))
    return json.loads(g.serialize(format="json-ld", auto_compact=True))


def _row(*cells: Any) -> str:
    return "| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in cells) + " |"


def model_card_markdown(doc: dict[str, Any], checks: list | None = None, title: str | None = None) -> str:
    """A MODA-style Markdown page of the model tree ``doc`` (and, optionally, check results)."""
    nodes = list(_nodes(doc))
    out = [f"# Model card: {title or doc['name']}", "",
           "## 1. User case", "",
           f"Top-level model **{doc['name']}** ({doc['type']}), {len(nodes)} models in the tree.",
           "Inputs: " + (", ".join(f"`{k}` [{p['unit']}]" for k, p in doc["inputs"].items()) or "none") + "; "
           "outputs: " + (", ".join(f"`{k}` [{p['unit']}]" for k, p in doc["outputs"].items()) or "none") + ".", "",
           "## 2. Chain of models", "",
           _row("id", "model", "MODA category", "role", "scale (length, time)", "inputs", "outputs"),
           _row(*["---"] * 7)]
    for path, n in nodes:
        s = n["scale"]
        size = f"{s['name']}: {s['length_m']:.3g} m, " + ("steady" if s["time_s"] is None else f"{s['time_s']:.3g} s")
        role = n.get("card", {}).get("role") or ("chain" if "couplings" in n else "")
        out.append(_row(path, n["name"], _category(s["length_m"]).removesuffix("Model").lower(), role, size,
                        ", ".join(f"{k} [{p['unit']}]" for k, p in n["inputs"].items()),
                        ", ".join(f"{k} [{p['unit']}]" for k, p in n["outputs"].items())))
    for path, n in nodes:
        card = n.get("card")
        if not card:
            continue
        out += ["", f"### {path} {n['name']}", ""]
        if "physics" in card:
            out.append(f"*Physics:* {card['physics']}")
        if card.get("assumptions"):
            out += ["", "*Assumptions:*", *[f"- {a}" for a in card["assumptions"]]]
        if card.get("references"):
            out += ["", "*References:*", *[f"- {r}" for r in card["references"]]]
    out += ["", "## 3. Couplings", "", _row("from", "to", "unit", "kind"), _row(*["---"] * 4)]
    for path, n in nodes:
        if n.get("coupling"):
            out.append(_row(n["name"], ", ".join(c["name"] for c in n.get("children", [])) or "fine model",
                            "", f"{n['coupling']} strategy"))
        for c in n.get("couplings", []):
            out.append(_row(c["from"], c["to"], c["unit"], c["kind"]))
    out += ["", "## 4. Checks and validation", "", _row("model", "test", "reference", "status"), _row(*["---"] * 4)]
    for path, n in nodes:
        for v in n.get("card", {}).get("validation", []):
            out.append(_row(n["name"], v.get("test", ""), v.get("reference", ""), v.get("status", "")))
    if checks:
        out += ["", _row("check", "result", "details"), _row(*["---"] * 3)]
        out += [_row(c.name, "pass" if c.passed else "FAIL", c.message) for c in checks]
    return "\n".join(out) + "\n"
