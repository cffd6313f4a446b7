r"""Uncertainty of the catalysis chain: DFT barrier errors (epistemic) and site heterogeneity (aleatoric).

Two kinds of uncertainty enter the kinetics of a real catalyst and must be kept apart:

* **epistemic**: the activation barriers come from DFT, whose functional error is
  about 0.1–0.2 eV (Wellendorff et al. 2015, Surf. Sci. 640, 36; Medford et al. 2014,
  J. Catal. 309, 397). It is the same for every site: a *bias*, given as an interval;
* **aleatoric**: the sites of a real surface differ (terraces, steps, strain, the
  neighbourhood): the CO binding energy of site :math:`i` is offset by
  :math:`\epsilon_i \sim N(0, \sigma^2)`, which raises the CO desorption barrier
  by :math:`\epsilon_i`.

:class:`SitePatchModel` is a patch of ``n_sites`` independent mean-field site types
(Langmuir sites sharing the gas phase): each site's steady state is solved with its
rate constants, :math:`k \to k\,e^{-\Delta E/k_B T}` for a barrier raised by
:math:`\Delta E`, and the patch turnover frequency is the site average,

.. math:: \mathrm{TOF} = \frac{1}{n}\sum_{i=1}^{n} \mathrm{TOF}\big(\Delta E_\text{DFT}, \epsilon_i\big).

Averaging over :math:`n` independent sites narrows the aleatoric spread of the patch
TOF (roughly as :math:`n^{-1/2}`) but leaves the epistemic shift untouched: the nested
propagation (:func:`scalebridge.uq.nested`) shows a p-box whose width stays while its
inner distributions sharpen. The pellet effectiveness factor follows from the patch
TOF as a first-order rate constant per pellet volume,
:math:`k_v = \mathrm{TOF}\,c_\text{sites}/c_\text{feed}`, the Thiele modulus
:math:`\phi = R\sqrt{k_v/D_\text{eff}}` and :math:`\eta = 3(\phi\coth\phi - 1)/\phi^2`.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np
from scipy.constants import k as k_B

from ...core.errors import InputError
from ...core.model import Evaluation, Port, Scale
from ...laws.mechanism import Mechanism
from ...laws.transport import effective_diffusivity, effectiveness_factor, thiele_modulus
from ...uq import Interval, Normal, Uncertain, nested

__all__ = ["SitePatchModel", "uncertainty_study"]

DIRECTIONS = ("forward", "reverse")


class SitePatchModel:
    r"""Patch TOF and pellet effectiveness for shifted barriers and ``n_sites`` site energies.

    Parameters
    ----------
    mechanism : Mechanism
    product : str
        Gas whose net production is the TOF.
    temperature : float
        K.
    pressures : mapping of str to float
        Partial pressure of every gas (Pa).
    barriers : sequence of (step, direction)
        Barriers with an uncertain shift: one input ``barrier_<step>_<direction>`` (eV
        port, SI J) each, raising that rate constant's activation energy.
    site_step : str
        Adsorption step whose *reverse* (desorption) barrier the site energy raises.
    n_sites : int
        Site types averaged in the patch: inputs ``site_energy_1..n`` (eV port, J).
    pellet : mapping, optional
        ``radius`` (m), ``diffusivity`` (effective, m^2/s), ``site_concentration``
        (mol/m^3) and ``feed_concentration`` (mol/m^3): adds the output
        ``effectiveness_factor``.
    length : float
        Characteristic length of the surface patch (m).
    """

    def __init__(self, mechanism: Mechanism, product: str, temperature: float, pressures: Mapping[str, float],
                 barriers, site_step: str, n_sites: int = 1, pellet: Mapping[str, float] | None = None,
                 length: float = 5e-8):
        names = mechanism.step_names
        for step, direction in list(barriers) + [(site_step, "reverse")]:
            if step not in names or direction not in DIRECTIONS:
                raise InputError(f"SitePatchModel: barrier ({step!r}, {direction!r}) is not a step of the "
                                 f"mechanism {names} with a direction in {DIRECTIONS}")
        if int(n_sites) != n_sites or n_sites < 1:
            raise InputError(f"SitePatchModel: n_sites must be a positive integer, got {n_sites!r}")
        if product not in mechanism.gases:
            raise InputError(f"SitePatchModel: product {product!r} is not a gas of the mechanism {mechanism.gases}")
        self.mechanism, self.temperature, self.n_sites = mechanism, float(temperature), int(n_sites)
        self.barriers = [(s, d) for s, d in barriers]
        self.site_index = names.index(site_step)
        self.kf, self.kr = mechanism.rate_constants(np.array([self.temperature]), dict(pressures))
        self.stoichiometry = (mechanism.gas_product_orders - mechanism.gas_reactant_orders)[
            :, mechanism.gases.index(product)]
        self.pellet = None if pellet is None else {k: float(pellet[k]) for k in
                                                   ("radius", "diffusivity", "site_concentration",
                                                    "feed_concentration")}
        self.name = f"surface patch ({self.n_sites} site{'s' if self.n_sites > 1 else ''})"
        self.inputs = {f"barrier_{s}_{d}": Port("eV", description=f"DFT error of the {d} barrier of {s}")
                       for s, d in self.barriers}
        self.inputs.update({f"site_energy_{i + 1}": Port("eV", description=f"binding-energy offset of site {i + 1}")
                            for i in range(self.n_sites)})
        self.outputs = {"tof": Port("1/s", description=f"patch-averaged net production of {product} per site")}
        if self.pellet is not None:
            self.outputs["effectiveness_factor"] = Port("", description="pellet effectiveness factor (first order)")
        self.scale = Scale(length, float("inf"), "surface")

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        b = len(np.asarray(inputs[next(iter(self.inputs))]))
        kT = k_B * self.temperature
        forward = np.repeat(self.kf, b * self.n_sites, axis=0)
        reverse = np.repeat(self.kr, b * self.n_sites, axis=0)
        for step, direction in self.barriers:  # the same DFT error at every site of a batch item
            shift = np.repeat(np.asarray(inputs[f"barrier_{step}_{direction}"], dtype=float), self.n_sites)
            j = self.mechanism.step_names.index(step)
            (forward if direction == "forward" else reverse)[:, j] *= np.exp(-shift / kT)
        sites = np.stack([np.asarray(inputs[f"site_energy_{i + 1}"], dtype=float) for i in range(self.n_sites)],
                         axis=1).ravel()                                    # item-major, like the repeats
        reverse[:, self.site_index] *= np.exp(-sites / kT)
        rates = self.mechanism.network.steady_state(forward, reverse).net_rates @ self.stoichiometry
        tof = rates.reshape(b, self.n_sites).mean(axis=1)
        out = {"tof": tof}
        if self.pellet is not None:
            p = self.pellet
            k_v = np.maximum(tof, 0.0) * p["site_concentration"] / p["feed_concentration"]
            out["effectiveness_factor"] = np.asarray(
                effectiveness_factor(thiele_modulus(p["radius"], k_v, p["diffusivity"])), dtype=float)
        return Evaluation(outputs=out)


def uncertainty_study(scenario, feed_concentration: float, progress=None) -> dict[str, Any]:
    """Nested (epistemic x aleatoric) propagation to TOF and effectiveness factor for every patch size.

    Returns ``{"pboxes": {n_sites: {output: PBox}}, "summary": {...}}``; the summary
    gives, per patch size and output, the epistemic range of the mean and the widest
    aleatoric 5-95 % band over the epistemic vertices.
    """
    s, u = scenario, scenario.uncertainty
    mechanism = Mechanism.from_dict(s.mechanism)
    pellet = {"radius": s.pellet.radius, "site_concentration": s.pellet.site_concentration,
              "feed_concentration": feed_concentration,
              "diffusivity": float(effective_diffusivity(s.pellet.pore_diffusivity, s.pellet.porosity,
                                                         s.pellet.tortuosity))}
    barriers = [(e.step, e.direction) for e in u.barrier_errors]
    pboxes, summary = {}, {}
    for k, n in enumerate(u.sites):
        if progress is not None:
            progress(n, k, len(u.sites))
        model = SitePatchModel(mechanism, s.product, s.conditions.temperature, s.conditions.pressures, barriers,
                               u.site_energy.step, n, pellet, s.scales.surface_length)
        declared = [Uncertain(f"barrier_{e.step}_{e.direction}", Interval(-e.half_width, e.half_width), "epistemic")
                    for e in u.barrier_errors]
        declared += [Uncertain(f"site_energy_{i + 1}", Normal(0.0, u.site_energy.std), "aleatoric") for i in range(n)]
        pboxes[n] = nested(model, declared, inner=u.samples, seed=s.seed)
        summary[n] = {name: {"mean_bounds": list(box.mean_bounds()),
                             "widest_aleatoric_band_5_95": float(np.max(np.diff(
                                 np.quantile(box.samples, [0.05, 0.95], axis=1), axis=0))),
                             "quantile_bounds_5": [float(v[0]) for v in box.quantile_bounds(0.05)],
                             "quantile_bounds_95": [float(v[0]) for v in box.quantile_bounds(0.95)]}
                      for name, box in pboxes[n].items()}
    return {"pboxes": pboxes, "summary": summary}
