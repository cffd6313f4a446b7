"""Model card of the shipped CO-oxidation chain: JSON-LD, MODA-style Markdown and the scale map.

Nothing is solved: the card is read off the model tree that ``build`` wires.

Usage: python examples/trust/model_card.py [OUTDIR]
(writes OUTDIR/model_card.md, OUTDIR/model_card.jsonld and OUTDIR/model_card_scale_map.png)
"""

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from scalebridge.apps import load_app  # noqa: E402
from scalebridge.core.checks import run_checks  # noqa: E402
from scalebridge.core.describe import describe  # noqa: E402
from scalebridge.figures import scale_map  # noqa: E402
from scalebridge.model_card import model_card_jsonld, model_card_markdown  # noqa: E402
from scalebridge.scenario import load_scenario  # noqa: E402

scenario = load_scenario(load_app("catalysis").SCENARIOS["co_oxidation"])
model = scenario.app.build(scenario.config)
doc = describe(model)
out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "docs" / "figures"
out.mkdir(parents=True, exist_ok=True)
(out / "model_card.md").write_text(model_card_markdown(doc, run_checks(model), title=scenario.name))
(out / "model_card.jsonld").write_text(json.dumps(model_card_jsonld(doc), indent=2))
scale_map(model).savefig(out / "model_card_scale_map.png", dpi=120, bbox_inches="tight")
print(f"wrote {out / 'model_card.md'}, {out / 'model_card.jsonld'} and {out / 'model_card_scale_map.png'}")
