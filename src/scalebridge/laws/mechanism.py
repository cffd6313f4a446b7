r"""Reaction mechanisms: elementary steps written as equations, and their rate constants.

A :class:`Mechanism` is a list of elementary :class:`Step` s written as equations,
``"CO_g + * <-> CO*"``, ``"O2_g + 2* <-> 2O*"``, ``"CO* + O* -> CO2_g + 2*"``: gas
species end in ``_g``, ``*`` is a free site, adsorbates end in ``*`` and occupy one
site each; ``<->`` is reversible, ``->`` irreversible. Each direction has a rate
law from :mod:`scalebridge.laws.kinetics` (Arrhenius, Eyring, harmonic TST,
collision theory for adsorption), or, for the reverse, thermodynamic consistency
with a reaction free energy (:data:`RATE_LAWS`). Gas pressures (Pa) are folded into
the rate constants,

.. math:: k^f_{j,\mathrm{eff}} = k^f_j \prod_g p_g^{\nu^{f}_{gj}}, \qquad
          k^r_{j,\mathrm{eff}} = k^r_j \prod_g p_g^{\nu^{r}_{gj}},

so :mod:`scalebridge.solvers.microkinetics` sees a pure surface network
(:attr:`Mechanism.network`). :class:`scalebridge.laws.microkinetics.MicrokineticModel`
solves it for steady states.

References
----------
.. [Dumesic1993] J. A. Dumesic, D. F. Rudd, L. M. Aparicio, J. E. Rekoske,
   A. A. Treviño, *The Microkinetics of Heterogeneous Catalysis*, ACS (1993).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import yaml
from scipy.constants import k as k_B

from ..core.errors import InputError
from ..core.units import parse_quantity, same_dimension, ureg
from ..solvers.microkinetics import MassActionNetwork
from . import arguments, kinetics

__all__ = ["Step", "Mechanism", "RATE_LAWS", "FREE_SITE", "parse_equation"]

FREE_SITE = "*"
_TERM = re.compile(r"^\s*(\d+(?:\.\d*)?)?\s*([A-Za-z_(][^\s]*|\*)\s*$")
#: rate-law key -> (required parameters, optional parameters)
RATE_LAWS = {
    "arrhenius": (("prefactor", "activation_energy"), ()),
    "eyring": (("barrier",), ()),
    "harmonic_tst": (("barrier", "initial_frequencies", "transition_frequencies"), ()),
    "collision": (("sticking_coefficient",), ("mass", "site_area", "gas")),
    "equilibrium": (("reaction_energy",), ("reaction_entropy", "standard_pressure")),
}


def _kind(species: str) -> str:
    if species == FREE_SITE:
        return "site"
    if species.endswith("_g") and len(species) > 2:
        return "gas"
    if species.endswith("*") and len(species) > 1:
        return "adsorbate"
    return "unknown"


def parse_reaction(equation: str, where: str, accept=None, allow_empty: bool = False,
                   expected: str = "e.g. '2A' or 'E'"):
    """Parse ``"2A + B <-> C"`` into (reactants, products, reversible): dicts species -> coefficient.

    ``accept(name)`` says whether a species name is allowed (default: any); ``allow_empty``
    lets a side be empty or ``0`` (a source or sink). Raises :class:`InputError` naming
    ``where`` for a missing arrow, an unreadable or refused term, or an empty side.
    """
    for arrow, reversible in (("<->", True), ("->", False)):
        if arrow in equation:
            lhs, _, rhs = equation.partition(arrow)
            break
    else:
        raise InputError(f"{where}: equation {equation!r} has no '<->' or '->'")
    sides = []
    for side in (lhs, rhs):
        terms: dict[str, float] = {}
        for term in side.split("+") if side.strip() not in ("", "0") else []:
            m = _TERM.match(term)
            if m is None or (accept is not None and not accept(m.group(2))):
                raise InputError(f"{where}: cannot read term {term.strip()!r} of {equation!r}; expected {expected}")
            terms[m.group(2)] = terms.get(m.group(2), 0.0) + float(m.group(1) or 1)
        if not terms and not allow_empty:
            raise InputError(f"{where}: equation {equation!r} has an empty side")
        sides.append(terms)
    return sides[0], sides[1], reversible


def parse_equation(equation: str, where: str = "step"):
    """Parse a surface-reaction equation ``"O2_g + 2* <-> 2O*"`` into (reactants, products, reversible).

    Every species must be a gas (``X_g``), an adsorbate (``X*``) or the free site (``*``),
    and neither side may be empty (see :func:`parse_reaction`).
    """
    return parse_reaction(equation, where, accept=lambda name: _kind(name) != "unknown",
                          expected="e.g. '2O*', 'CO_g' or '2*'")


def _sites(terms: Mapping[str, float]) -> float:
    return sum(v for s, v in terms.items() if _kind(s) in ("site", "adsorbate"))


@dataclass(frozen=True)
class Step:
    """One elementary step: an equation and a rate law per direction.

    Parameters
    ----------
    name : str
    equation : str
        E.g. ``"CO* + O* -> CO2_g + 2*"``; sites must be conserved.
    forward : mapping
        ``{law: {parameter: value}}`` with law one of :data:`RATE_LAWS`.
    reverse : mapping, optional
        As ``forward``, or ``{"equilibrium": {"reaction_energy": dG, ...}}``;
        required for ``<->``, forbidden for ``->``.
    """

    name: str
    equation: str
    forward: Mapping[str, Any]
    reverse: Mapping[str, Any] | None = None
    reactants: dict = field(init=False, repr=False)
    products: dict = field(init=False, repr=False)
    reversible: bool = field(init=False, repr=False)

    def __post_init__(self):
        where = f"step {self.name!r}"
        r, p, rev = parse_equation(self.equation, where)
        if abs(_sites(r) - _sites(p)) > 1e-12:
            raise InputError(f"{where}: {self.equation!r} does not conserve sites "
                             f"({_sites(r):g} on the left, {_sites(p):g} on the right)")
        if rev and self.reverse is None:
            raise InputError(f"{where}: reversible step needs a 'reverse' rate law")
        if not rev and self.reverse is not None:
            raise InputError(f"{where}: irreversible step ('->') cannot have a 'reverse' rate law")
        object.__setattr__(self, "reactants", r)
        object.__setattr__(self, "products", p)
        object.__setattr__(self, "reversible", rev)


class _RateLaw:
    """A compiled rate law of one direction: validated SI parameters and k(T)."""

    def __init__(self, spec, step: Step, direction: str, defaults: Mapping[str, Any]):
        where = f"step {step.name!r} {direction}"
        if not isinstance(spec, Mapping) or len(spec) != 1:
            raise InputError(f"{where}: rate law must be a mapping with one key out of "
                             f"{sorted(RATE_LAWS)}, got {spec!r}")
        (law, params), = spec.items()
        if law not in RATE_LAWS or (law == "equilibrium" and direction == "forward"):
            raise InputError(f"{where}: unknown rate-law key {law!r}; expected one of "
                             f"{sorted(k for k in RATE_LAWS if direction == 'reverse' or k != 'equilibrium')}")
        if params is not None and not isinstance(params, Mapping):
            raise InputError(f"{where} {law}: parameters must be a mapping, got {params!r}")
        params = dict(params or {})
        required, optional = RATE_LAWS[law]
        for key in required:
            if key not in params:
                raise InputError(f"{where} {law}: missing parameter {key!r} (needs {list(required)})")
        extra = set(params) - set(required) - set(optional)
        if extra:
            raise InputError(f"{where} {law}: unknown parameter(s) {sorted(extra)}; "
                             f"expected {list(required + optional)}")
        side, other = (step.reactants, step.products) if direction == "forward" else (step.products, step.reactants)
        gas = {s: v for s, v in side.items() if _kind(s) == "gas"}
        self.law, self.where = law, f"{where} {law}"
        w = lambda key: f"{where} {law}.{key}"  # noqa: E731
        gas_order = sum(gas.values())
        if law in ("eyring", "harmonic_tst") and gas:
            raise InputError(f"{where}: {law!r} gives 1/s and cannot describe a direction with gas "
                             f"reactants {sorted(gas)}; use 'collision' or 'arrhenius'")
        if law == "arrhenius":
            unit = "1/s" if gas_order == 0 else f"1/(s*Pa**{gas_order:g})"
            self.prefactor = arguments.si_value(params["prefactor"], unit, w("prefactor"),
                                                "a finite prefactor >= 0", lambda a: a < 0)
            self.energy = arguments.energy(params["activation_energy"], w("activation_energy"))
        elif law in ("eyring", "harmonic_tst"):
            self.energy = arguments.energy(params["barrier"], w("barrier"))
            if law == "harmonic_tst":
                self.nu_is = kinetics.vibrational_frequencies(params["initial_frequencies"],
                                                              w("initial_frequencies"))
                self.nu_ts = kinetics.vibrational_frequencies(params["transition_frequencies"],
                                                              w("transition_frequencies"))
        elif law == "collision":
            name = params.get("gas", next(iter(gas), None))
            if name not in gas:
                raise InputError(f"{where} collision.gas: unknown species {name!r}; the adsorbing gas must "
                                 f"be a gas reactant of this direction, one of {sorted(gas)}")
            if gas_order != 1:
                raise InputError(f"{where}: 'collision' needs exactly one gas molecule adsorbing, got {gas}")
            mass = params.get("mass", defaults.get("masses", {}).get(name))
            area = params.get("site_area", defaults.get("site_area"))
            if mass is None or area is None:
                raise InputError(f"{where} collision: missing parameter {'mass' if mass is None else 'site_area'!r}"
                                 " (give it in the step or at mechanism level)")
            self.mass = arguments.molecular_mass(mass, w("mass"))
            self.area = arguments.site_area(area, w("site_area"))
            self.s0 = arguments.sticking_coefficient(params["sticking_coefficient"], w("sticking_coefficient"))
        else:  # equilibrium: K from dG = dH - T dS, pressures relative to p0
            self.energy = arguments.energy(params["reaction_energy"], w("reaction_energy"))
            dS = params.get("reaction_entropy", 0.0)
            dS = parse_quantity(dS, w("reaction_entropy")) if isinstance(dS, str) else dS
            if hasattr(dS, "dimensionality") and same_dimension(dS, "J/mol/K"):
                dS = dS / ureg.avogadro_constant
            self.entropy = arguments.si_value(dS, "J/K", w("reaction_entropy"),
                                              "a finite entropy (J/K per particle or J/(mol K))")
            p0 = arguments.positive(params.get("standard_pressure", "1 bar"), "Pa", w("standard_pressure"),
                                    kind="pressure")
            n_fwd = sum(v for s, v in other.items() if _kind(s) == "gas")
            # K = (kf / kr) p0^(n_gas,fwd - n_gas,rev)  =>  kr = kf p0^(...) / K
            self.p0_factor = p0 ** (n_fwd - gas_order)
        for key in ("prefactor", "energy", "mass", "area", "s0", "entropy", "p0_factor"):
            if np.ndim(getattr(self, key, 0.0)):
                raise InputError(f"{self.where}: parameter {key!r} must be a single value, got "
                                 f"{np.shape(getattr(self, key))} values")

    def __call__(self, T: np.ndarray, kf: np.ndarray | None = None) -> np.ndarray:
        if self.law == "arrhenius":
            return self.prefactor * np.exp(-self.energy / (k_B * T))
        if self.law == "eyring":
            return np.asarray(kinetics.eyring(self.energy, T), dtype=float)
        if self.law == "harmonic_tst":
            return np.asarray(kinetics.harmonic_tst(T, self.nu_is, self.nu_ts, self.energy).rate_constant)
        if self.law == "collision":
            return np.asarray(kinetics.collision_adsorption_rate_constant(self.s0, self.mass, T, self.area))
        K = kinetics.equilibrium_constant(self.energy - T * self.entropy, T)
        return kf * self.p0_factor / K


class Mechanism:
    """A single-site reaction mechanism: steps, species, orders and rate constants.

    Parameters
    ----------
    steps : sequence of Step
    site_area : str or quantity, optional
        Default area per site for 'collision' rate laws (m^2).
    masses : mapping, optional
        Default molecular masses of gases (e.g. ``{"CO_g": "28.01 u"}``).
    name : str, optional
    """

    def __init__(self, steps, *, site_area=None, masses=None, name="mechanism"):
        steps = list(steps)
        if not steps:
            raise InputError(f"{name}: a mechanism needs at least one step")
        names = [s.name for s in steps]
        if len(set(names)) != len(names):
            raise InputError(f"{name}: duplicate step names in {names}")
        self.name, self.steps = name, steps
        order = list(dict.fromkeys(sp for s in steps for sp in (*s.reactants, *s.products)))
        self.gases = [sp for sp in order if _kind(sp) == "gas"]
        self.surface_species = [FREE_SITE] + [sp for sp in order if _kind(sp) == "adsorbate"]
        masses = dict(masses or {})
        unknown = set(masses) - set(self.gases)
        if unknown:
            raise InputError(f"{name} masses: unknown species {sorted(unknown)}; gases are {self.gases}")
        defaults = {"site_area": site_area, "masses": masses}
        self._laws = [(_RateLaw(s.forward, s, "forward", defaults),
                       _RateLaw(s.reverse, s, "reverse", defaults) if s.reversible else None) for s in steps]
        surf, gas = {sp: i for i, sp in enumerate(self.surface_species)}, {g: i for i, g in enumerate(self.gases)}
        shape_s, shape_g = (len(steps), len(surf)), (len(steps), len(gas))
        self.reactant_orders, self.product_orders = np.zeros(shape_s), np.zeros(shape_s)
        self.gas_reactant_orders, self.gas_product_orders = np.zeros(shape_g), np.zeros(shape_g)
        for j, s in enumerate(steps):
            for terms, a_s, a_g in ((s.reactants, self.reactant_orders, self.gas_reactant_orders),
                                    (s.products, self.product_orders, self.gas_product_orders)):
                for sp, v in terms.items():
                    if sp in gas:
                        a_g[j, gas[sp]] = v
                    else:
                        a_s[j, surf[sp]] = v
        self.network = MassActionNetwork(self.reactant_orders, self.product_orders, free_site=0)

    @property
    def step_names(self) -> list[str]:
        return [s.name for s in self.steps]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Mechanism":
        """Build from ``{"name", "site_area", "masses", "steps": [{"name", "equation",
        "forward", "reverse"}]}``; quantities are strings with units (see module doc)."""
        if not isinstance(data, Mapping) or "steps" not in data:
            raise InputError("mechanism: expected a mapping with a 'steps' list")
        extra = set(data) - {"name", "site_area", "masses", "steps"}
        if extra:
            raise InputError(f"mechanism: unknown key(s) {sorted(extra)}")
        steps = []
        for i, s in enumerate(data["steps"]):
            if not isinstance(s, Mapping) or "equation" not in s or "forward" not in s:
                raise InputError(f"mechanism step #{i}: needs 'equation' and 'forward', got {s!r}")
            bad = set(s) - {"name", "equation", "forward", "reverse"}
            if bad:
                raise InputError(f"mechanism step #{i} ({s.get('name')!r}): unknown key(s) {sorted(bad)}")
            steps.append(Step(str(s.get("name", f"step{i}")), s["equation"], s["forward"], s.get("reverse")))
        return cls(steps, site_area=data.get("site_area"), masses=data.get("masses"),
                   name=str(data.get("name", "mechanism")))

    @classmethod
    def from_yaml(cls, source: str | Path) -> "Mechanism":
        """Build from a YAML file path or a YAML string with the :meth:`from_dict` layout."""
        text = source
        if isinstance(source, Path) or (isinstance(source, str) and "\n" not in source):
            try:
                text = Path(source).read_text()
            except OSError as exc:
                if isinstance(source, Path):
                    raise InputError(f"mechanism: cannot read {source} ({exc})") from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise InputError(f"mechanism: invalid YAML ({exc})") from None
        return cls.from_dict(data)

    def rate_constants(self, temperature, pressures: Mapping[str, Any] | None = None):
        """Forward and reverse rate constants, SI, shape ``T.shape + (n_steps,)``.

        Without ``pressures``: kf, kr in 1/s times Pa^-(gas order of that direction).
        With ``pressures`` (Pa, every gas of the mechanism, broadcast with T) the
        gas orders are folded in: ``kf_eff = kf prod_g p_g^nu_f``, in 1/s.
        """
        T = np.asarray(arguments.temperature(temperature), dtype=float)
        if pressures is not None:
            p, shape = self.pressure_array(pressures, T.shape)
            T = np.broadcast_to(T, shape)
        kf = np.stack([np.broadcast_to(f(T), T.shape) for f, _ in self._laws], axis=-1)
        kr = np.stack([np.broadcast_to(r(T, kf[..., j]) if r else 0.0, T.shape)
                       for j, (_, r) in enumerate(self._laws)], axis=-1)
        if pressures is None:
            return kf, kr
        fold = lambda nu: np.prod(p[..., None, :] ** nu, axis=-1)  # noqa: E731  (0**0 = 1)
        return kf * fold(self.gas_reactant_orders), kr * fold(self.gas_product_orders)

    def pressure_array(self, pressures: Mapping[str, Any], shape: tuple = ()):
        """Partial pressures as one array, gases in the order of :attr:`gases`.

        Parameters
        ----------
        pressures : mapping
            Gas -> partial pressure in Pa (>= 0; quantities accepted), one entry for
            every gas of the mechanism.
        shape : tuple, optional
            A condition shape (e.g. that of the temperatures) to broadcast with.

        Returns
        -------
        (numpy.ndarray, tuple)
            Pressures of shape ``S + (n_gas,)``, and ``S``, the shape of ``shape``
            broadcast with every pressure.
        """
        if not isinstance(pressures, Mapping):
            raise InputError(f"{self.name}: pressures must be a mapping gas -> Pa")
        unknown = set(pressures) - set(self.gases)
        missing = set(self.gases) - set(pressures)
        if unknown or missing:
            raise InputError(f"{self.name} pressures: unknown species {sorted(unknown)}, missing "
                             f"{sorted(missing)}; expected partial pressures (Pa) of {self.gases}")
        cols = []
        for g in self.gases:
            cols.append(np.asarray(arguments.positive(pressures[g], "Pa", f"pressure of {g}",
                                                      allow_zero=True, kind="pressure"), dtype=float))
        shape = np.broadcast_shapes(tuple(shape), *(c.shape for c in cols))
        arr = np.stack([np.broadcast_to(c, shape) for c in cols], axis=-1) if cols else np.zeros(shape + (0,))
        return arr, shape
