r"""The two scales of free dendritic growth: the selected tip and the undercooled sample.

:class:`DendriteTipModel` (fine) is the tip scale: Ivantsov heat transport, Gibbs–Thomson
capillarity, linear attachment kinetics and marginal-stability selection
(:func:`scalebridge.laws.solidification.dendrite_tip`); its characteristic length is the
tip radius and its time the tip's diffusion time :math:`R/V` at the operating undercooling.
:class:`UndercooledSample` (coarse) is the melt sample: it needs only the tip velocity
at its bulk undercooling, read from a table of the tip model (hierarchical bridge).
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from ...core.errors import InputError
from ...core.model import Evaluation, Port, Scale
from ...laws.solidification import MARGINAL_STABILITY_CONSTANT, dendrite_tip

__all__ = ["DendriteTipModel", "UndercooledSample"]


class DendriteTipModel:
    r"""Selected dendrite tip vs bulk undercooling (LGK 1984 with marginal stability).

    Parameters
    ----------
    unit_undercooling, capillary_length, diffusivity : float
        :math:`L/c_p` (K), :math:`d_0` (m), :math:`\alpha` (m^2/s).
    kinetic_coefficient : float
        :math:`\mu` in m/(s K) (``inf``: none).
    selection_constant : float
        :math:`\sigma^*`.
    operating_undercooling : float
        K; sets the characteristic tip radius and time of the model's scale.
    """

    card = {
        "role": "bridging law",
        "physics": "dT = (L/c)[Iv(Pe) + 2 sigma* Pe] + V/mu, Iv(P) = P e^P E1(P), sigma* = 2 d0 alpha/(R^2 V)",
        "assumptions": ["steady paraboloid-of-revolution tip (Ivantsov)", "pure melt, thermal dendrite",
                        "marginal-stability selection with constant sigma*", "no convection"],
        "references": ["Ivantsov (1947)", "Langer & Mueller-Krumbhaar (1978), Acta Metall. 26, 1681",
                       "Lipton, Glicksman & Kurz (1984), Mater. Sci. Eng. 65, 57"],
        "validation": [{"test": "tests/laws/test_dendrite_tip.py",
                        "reference": "Abramowitz & Stegun (1964) Table 5.1 and eqs. 5.1.11, 5.1.51",
                        "status": "passing"},
                       {"test": "tests/apps/test_solidification.py",
                        "reference": "Huang & Glicksman (1981), Acta Metall. 29, 701: measured sigma* of SCN",
                        "status": "passing"}],
    }

    def __init__(self, unit_undercooling: float, capillary_length: float, diffusivity: float,
                 kinetic_coefficient: float = np.inf, selection_constant: float = MARGINAL_STABILITY_CONSTANT,
                 operating_undercooling: float = 1.0, name: str = "dendrite tip"):
        self.parameters_ = dict(unit_undercooling=float(unit_undercooling), capillary_length=float(capillary_length),
                                diffusivity=float(diffusivity), kinetic_coefficient=float(kinetic_coefficient),
                                selection_constant=float(selection_constant))
        self.name = name
        self.inputs = {"undercooling": Port("K", description="bulk melt undercooling T_m - T_inf")}
        self.outputs = {"velocity": Port("m/s", description="tip velocity"),
                        "radius": Port("m", description="tip radius"),
                        "peclet": Port("", description="tip Peclet number V R / (2 alpha)")}
        tip = self.tip(np.array([operating_undercooling]))
        R, V = float(tip.radius[0]), float(tip.velocity[0])
        self.scale = Scale(R, R / V, "dendrite tip")

    def tip(self, undercooling: np.ndarray):
        """The :class:`~scalebridge.laws.solidification.TipState` at ``undercooling`` (K)."""
        return dendrite_tip(undercooling, **self.parameters_)

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        dT = np.asarray(inputs["undercooling"], dtype=float)
        if np.any(dT <= 0):
            raise InputError(f"{self.name}: undercooling must be > 0 K, got {dT.min():g}")
        tip = self.tip(dT)
        return Evaluation(outputs={"velocity": tip.velocity, "radius": tip.radius, "peclet": tip.peclet})

    def parameters(self) -> dict[str, Any]:
        return {k: (None if not np.isfinite(v) else v) for k, v in self.parameters_.items()}


class UndercooledSample:
    """An undercooled melt sample: tip velocity, radius and crossing time at its bulk undercooling (coarse).

    Parameters
    ----------
    bridge : Model
        The tip law (a :class:`~scalebridge.coupling.hierarchical.Tabulated` of
        :class:`DendriteTipModel`), input ``undercooling``.
    length : float
        Sample size, m.
    scale : Scale
        Sample length and its solidification time at the operating undercooling.
    """

    card = {"role": "coarse model", "physics": "crossing time of the sample t = L / V(dT)",
            "assumptions": ["isothermal melt at the bulk undercooling (no recalescence)"]}

    def __init__(self, bridge, length: float, scale: Scale, name: str = "undercooled sample"):
        self.fine, self.children, self.length = bridge, [bridge], float(length)
        self.coupling = getattr(bridge, "coupling", None)
        self.name, self.scale = name, scale
        self.inputs = {"undercooling": Port("K", description="bulk melt undercooling")}
        self.outputs = {"velocity": Port("m/s"), "radius": Port("m"),
                        "crossing_time": Port("s", description="time for the dendrite to cross the sample")}

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        ev = self.fine.evaluate({"undercooling": np.asarray(inputs["undercooling"], dtype=float)})
        return Evaluation(outputs={"velocity": ev["velocity"], "radius": ev["radius"],
                                   "crossing_time": self.length / ev["velocity"]})
