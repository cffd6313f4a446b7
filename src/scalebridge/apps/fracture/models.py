r"""The scales of the fracture chain as ``Model`` s: atoms -> defect energies and C_ij -> crack-tip criteria.

* :class:`BulkCrystalModel`: zero-pressure lattice constant and Cauchy–Born elastic
  constants of the fcc crystal (:mod:`scalebridge.laws.cauchy_born`);
* :class:`SurfaceEnergyModel`: γ_s of the cleavage plane (:func:`~scalebridge.laws.defects.surface_energy`);
* :class:`StackingFaultModel`: γ_us and γ_isf of the (111)⟨112⟩ generalised stacking
  fault (:func:`~scalebridge.laws.defects.generalized_stacking_fault`);
* :class:`FractureCriterionModel`: Griffith cleavage K_Ic (isotropic and anisotropic),
  Rice emission K_Ie and the ratio K_Ie/K_Ic (:mod:`scalebridge.laws.mechanics`).

Nothing is computed when the models are built: the atomistic calculations run in
``evaluate``, so ``scalebridge check`` and ``describe`` are free. Atomistic models take
the lattice constant in m at their ports and hand it to the engines in Å.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Mapping

import numpy as np

from ...core.errors import InputError
from ...core.model import Evaluation, Port, Scale
from ...core.optional import require
from ...laws import mechanics
from ...laws.cauchy_born import elastic_constants, equilibrium_lattice_constant
from ...laws.defects import generalized_stacking_fault, surface_energy
from ...solvers.atomistic import EV, LennardJones, as_engine
from .geometry import CrackGeometry

__all__ = ["engine_factory", "potential_label", "lattice_constant_guess", "hill_moduli", "BulkCrystalModel",
           "SurfaceEnergyModel", "StackingFaultModel", "FractureCriterionModel", "K_UNIT"]

#: unit of stress intensity factors and toughnesses
K_UNIT = "Pa*m^0.5"
_ANGSTROM = 1e-10
_EV_PER_A_IN_N = EV / _ANGSTROM


def engine_factory(material) -> Callable[[], Any]:
    """A function returning a fresh engine for the scenario's ``material`` (ASE imported only when called)."""
    pot = material.potential
    if pot.kind == "emt":
        def make():
            require("ase", extra="atoms")
            from ase.calculators.emt import EMT
            return as_engine(EMT(), material.element)
        return make
    if pot.kind == "lennard_jones":
        lj = pot.lennard_jones
        cutoff = 2.5 * lj.sigma if lj.cutoff is None else lj.cutoff
        return lambda: LennardJones(epsilon=lj.epsilon / EV, sigma=lj.sigma / _ANGSTROM, cutoff=cutoff / _ANGSTROM,
                                    truncation=lj.truncation)
    raise InputError(f"material.potential: {pot.kind!r} has no fcc engine")  # the schema refuses it earlier


def potential_label(material) -> str:
    """One line naming the potential and its parameters."""
    pot = material.potential
    if pot.kind == "emt":
        return f"EMT (ASE, Jacobsen et al. 1996), {material.element}"
    lj = pot.lennard_jones
    cutoff = 2.5 * lj.sigma if lj.cutoff is None else lj.cutoff
    return (f"Lennard-Jones, epsilon = {lj.epsilon / EV:.4g} eV, sigma = {lj.sigma / _ANGSTROM:.4g} A, "
            f"r_c = {cutoff / _ANGSTROM:.4g} A ({lj.truncation})")


def lattice_constant_guess(material) -> float:
    r"""Starting fcc lattice constant (Å) for the zero-pressure search (bracket ±10 %).

    EMT: from the element's Wigner–Seitz radius :math:`s_0`, :math:`a = (16\pi/3)^{1/3}s_0`;
    Lennard-Jones: nearest neighbours at the pair minimum, :math:`a = \sqrt2\,2^{1/6}\sigma`.
    """
    if material.potential.kind == "emt":
        require("ase", extra="atoms")
        from ase.calculators.emt import parameters
        from ase.units import Bohr
        return float(parameters[material.element][1] * Bohr * (16 * math.pi / 3) ** (1 / 3))
    return float(math.sqrt(2) * 2 ** (1 / 6) * material.potential.lennard_jones.sigma / _ANGSTROM)


def hill_moduli(c11, c12, c44) -> dict[str, np.ndarray]:
    r"""Voigt–Reuss–Hill isotropic moduli of a cubic crystal (Pa), batched.

    .. math:: K = \frac{C_{11}+2C_{12}}{3},\quad \mu_V = \frac{C_{11}-C_{12}+3C_{44}}{5},\quad
              \mu_R = \frac{5(C_{11}-C_{12})C_{44}}{4C_{44}+3(C_{11}-C_{12})},\quad \mu = \frac{\mu_V+\mu_R}{2},

    :math:`E = 9K\mu/(3K+\mu)`, :math:`\nu = (3K-2\mu)/(2(3K+\mu))` (Hill 1952, Proc. Phys. Soc. A 65, 349).
    Also the Zener anisotropy :math:`A = 2C_{44}/(C_{11}-C_{12})`.
    """
    c11, c12, c44 = (np.asarray(c, dtype=float) for c in (c11, c12, c44))
    K = (c11 + 2 * c12) / 3
    mu_v = (c11 - c12 + 3 * c44) / 5
    mu_r = 5 * (c11 - c12) * c44 / (4 * c44 + 3 * (c11 - c12))
    mu = 0.5 * (mu_v + mu_r)
    return {"bulk_modulus": K, "shear_modulus": mu, "youngs_modulus": 9 * K * mu / (3 * K + mu),
            "poisson_ratio": (3 * K - 2 * mu) / (2 * (3 * K + mu)), "zener_anisotropy": 2 * c44 / (c11 - c12)}


_ATOMISTIC_VALIDATION = {"test": "tests/laws/test_defects.py, tests/laws/test_cauchy_born.py",
                         "reference": "ASE (EMT Cu): slabs + BFGS, stress of deformed cells; within 1 %",
                         "status": "passing"}


class BulkCrystalModel:
    r"""Atomistic scale: zero-pressure fcc lattice constant and Cauchy–Born elastic constants.

    No inputs; outputs ``lattice_constant`` (m), ``C11``, ``C12``, ``C44`` and the
    reference ``pressure`` (Pa). :math:`a` minimises the energy per atom of the
    primitive cell unless given; :math:`C_{IJ} = \partial^2W/\partial e_I\partial e_J`
    by central differences of the Cauchy–Born energy density (Tadmor & Miller 2011, sec. 11.2).
    """

    card = {
        "role": "bridging law",
        "physics": "Cauchy-Born rule: W(F) = [E(F a_k) - E_0]/V_0 of the perfect crystal; a at zero pressure, "
                   "C_IJ = d2W/de_I de_J (Voigt, Green-Lagrange strain)",
        "assumptions": ["0 K, static lattice (no zero-point or thermal expansion)", "homogeneous deformation",
                        "the interatomic potential is transferable to the strained crystal"],
        "references": ["E. B. Tadmor, R. E. Miller (2011), Modeling Materials, CUP, sec. 11.2",
                       "M. Born, K. Huang (1954), Dynamical Theory of Crystal Lattices, ch. III"],
        "validation": [_ATOMISTIC_VALIDATION],
    }

    def __init__(self, make_engine: Callable[[], Any], guess: Callable[[], float], lattice_constant: float | None,
                 strain: float, length: float, label: str):
        self.make_engine, self.guess, self.given = make_engine, guess, lattice_constant
        self.strain = float(strain)
        self.name = "bulk crystal (Cauchy-Born)"
        self.label = label
        self.inputs: dict[str, Port] = {}
        self.outputs = {"lattice_constant": Port("m", description="cubic fcc lattice constant"),
                        **{c: Port("Pa", description=f"elastic constant {c} (cube axes)") for c in ("C11", "C12", "C44")},
                        "pressure": Port("Pa", description="pressure of the reference crystal (0 when relaxed)")}
        self.scale = Scale(length, math.inf, "atomistic")

    def parameters(self) -> dict[str, Any]:
        return {"potential": self.label, "lattice": "fcc",
                "lattice_constant": "relaxed (zero pressure)" if self.given is None else f"{self.given:.6g} m (given)",
                "strain_step": self.strain}

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        engine = self.make_engine()
        a = (equilibrium_lattice_constant(engine, "fcc", guess=self.guess()) if self.given is None
             else self.given / _ANGSTROM)
        C = elastic_constants(engine, "fcc", a=a, strain=self.strain)
        out = {"lattice_constant": np.array([a * _ANGSTROM]), "C11": np.array([C.C11]), "C12": np.array([C.C12]),
               "C44": np.array([C.C44]), "pressure": np.array([C.pressure])}
        return Evaluation(outputs=out, info={"elastic_constants": C, "relaxed": self.given is None,
                                                "lattice_constant_A": a})


class _SlabModel:
    def __init__(self, make_engine, numerics, length):
        self.make_engine = make_engine
        self.layers_surface, self.layers_gsf = numerics.slab_layers, numerics.gsf_layers
        self.points = numerics.gsf_points
        self.vacuum = numerics.vacuum / _ANGSTROM
        self.fmax = numerics.fmax / _EV_PER_A_IN_N
        self.inputs = {"lattice_constant": Port("m", description="cubic fcc lattice constant")}
        self.scale = Scale(length, math.inf, "atomistic")


class SurfaceEnergyModel(_SlabModel):
    r"""Atomistic scale: energy of the cleavage surface, :math:`\gamma_s = (E_{slab} - N e_{bulk})/2A` (J/m²).

    Input ``lattice_constant`` (m); output ``surface_energy`` (J/m²) of the relaxed
    {100}, {110} or {111} slab (Tadmor & Miller 2011, sec. 6.5).
    """

    card = {
        "role": "bridging law",
        "physics": "free-surface energy gamma_s = (E_slab - N e_bulk)/(2A) of a relaxed slab, the energy Griffith's "
                   "cleavage creates per unit area of each crack face",
        "assumptions": ["0 K, relaxed unreconstructed surface", "slab thick enough that its faces do not interact",
                        "bulk lattice constant in the plane"],
        "references": ["E. B. Tadmor, R. E. Miller (2011), Modeling Materials, CUP, sec. 6.5"],
        "validation": [_ATOMISTIC_VALIDATION],
    }

    def __init__(self, make_engine, family: str, numerics, length: float):
        super().__init__(make_engine, numerics, length)
        self.family = family
        self.name = f"surface energy ({family})"
        self.outputs = {"surface_energy": Port("J/m^2", description=f"energy of the relaxed ({family}) surface")}

    def parameters(self) -> dict[str, Any]:
        return {"surface": self.family, "layers": self.layers_surface, "vacuum_A": self.vacuum,
                "fmax_eV_per_A": self.fmax}

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        engine = self.make_engine()
        results = [surface_energy(engine, a / _ANGSTROM, self.family, layers=self.layers_surface, vacuum=self.vacuum,
                                  fmax=self.fmax) for a in np.asarray(inputs["lattice_constant"], dtype=float)]
        return Evaluation(outputs={"surface_energy": np.array([r.gamma for r in results])},
                          info={"surface_energy": results})


class StackingFaultModel(_SlabModel):
    r"""Atomistic scale: (111)⟨112⟩ generalised stacking fault, :math:`\gamma(u) = [E(u)-E(0)]/A` (J/m²).

    Input ``lattice_constant`` (m); outputs ``unstable_stacking_energy`` γ_us (the
    maximum on :math:`0<u<b_p`, refined by Brent's method) and
    ``intrinsic_stacking_energy`` γ_isf = γ(b_p), :math:`b_p = a/\sqrt6` (Vítek 1968; Rice 1992).
    """

    card = {
        "role": "bridging law",
        "physics": "generalised stacking fault energy gamma(u) of a rigid shift of half a (111) slab along <112>, "
                   "atoms relaxed normal to the plane; gamma_us = max gamma on (0, b_p), Rice's resistance to "
                   "dislocation nucleation",
        "assumptions": ["0 K", "rigid shear of the whole plane (no shear relaxation, Vitek's construction)",
                        "slip along the leading-partial <112> direction"],
        "references": ["V. Vitek (1968), Phil. Mag. 18, 773",
                       "J. R. Rice (1992), J. Mech. Phys. Solids 40, 239"],
        "validation": [_ATOMISTIC_VALIDATION],
    }

    def __init__(self, make_engine, numerics, length: float):
        super().__init__(make_engine, numerics, length)
        self.name = "stacking fault (111)<112>"
        self.outputs = {"unstable_stacking_energy": Port("J/m^2", description="unstable stacking energy gamma_us"),
                        "intrinsic_stacking_energy": Port("J/m^2", description="intrinsic stacking fault energy "
                                                                               "gamma_isf (may be negative)")}

    def parameters(self) -> dict[str, Any]:
        return {"layers": self.layers_gsf, "points": self.points, "vacuum_A": self.vacuum, "fmax_eV_per_A": self.fmax}

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        engine = self.make_engine()
        fractions = np.linspace(0.0, 1.0, self.points)
        curves = [generalized_stacking_fault(engine, a / _ANGSTROM, fractions=fractions, layers=self.layers_gsf,
                                             vacuum=self.vacuum, fmax=self.fmax)
                  for a in np.asarray(inputs["lattice_constant"], dtype=float)]
        return Evaluation(outputs={"unstable_stacking_energy": np.array([c.gamma_us for c in curves]),
                                   "intrinsic_stacking_energy": np.array([c.gamma_isf for c in curves])},
                          info={"curves": curves})


class FractureCriterionModel:
    r"""Continuum scale: Griffith cleavage vs Rice emission at a mode-I crack tip.

    Inputs ``surface_energy``, ``unstable_stacking_energy`` (J/m²), ``C11``, ``C12``,
    ``C44`` (Pa). Outputs (Pa m^1/2 unless noted):

    * isotropic (Voigt–Reuss–Hill E, μ, ν of :func:`hill_moduli`, plane strain):
      :math:`K_{Ic} = \sqrt{2\gamma_s E/(1-\nu^2)}` (Griffith 1921) and
      :math:`K_{Ie} = \sqrt{2\mu\gamma_{us}[1+(1-\nu)\tan^2\varphi]/(1-\nu)}/F_{12}(\theta)`,
      :math:`F_{12} = \cos^2(\theta/2)\sin(\theta/2)` (Rice 1992, sec. 5). Their ratio is
      modulus-free, :math:`K_{Ie}/K_{Ic} = \sqrt{\gamma_{us}[1+(1-\nu)\tan^2\varphi]/(2\gamma_s)}/F_{12}`;
    * anisotropic (needs the orientation): :math:`K_{Ic} = \sqrt{2\gamma_s/\Lambda_{22}}` with the
      Stroh energy matrix Λ of the crack frame (Sih, Paris & Irwin 1965; Ting 1996), and
      :math:`K_{Ie} = \sqrt{\gamma_{us}(1/\Lambda^{s}_{11} + \tan^2\varphi/\Lambda^{s}_{33})}/F_{12}(\theta)`
      with Λ^s of a crack lying in the slip plane (x1 normal to the front in the slip plane).
      This replaces the isotropic factors :math:`2\mu/(1-\nu) = 1/\Lambda_{II}`, :math:`2\mu = 1/\Lambda_{III}`
      by the anisotropic ones; exact (Rice's J-integral result) for θ = 0, φ = 0, while
      the angular factor F12 stays the isotropic one (Rice's approximation);
    * ``cleavage_toughness``, ``emission_toughness``, ``toughness_ratio`` (dimensionless):
      the anisotropic pair if ``anisotropic`` else the isotropic one. Ratio > 1: the tip
      cleaves first (brittle); < 1: it emits a dislocation first (ductile).
    """

    card = {
        "role": "closure",
        "physics": "Rice's competition at a mode-I crack tip: Griffith cleavage K_Ic = sqrt(2 gamma_s / Lambda_I) "
                   "vs Peierls-type dislocation emission K_Ie = sqrt(gamma_us / Lambda_II) / F12(theta); "
                   "K_Ie/K_Ic > 1 brittle, < 1 ductile",
        "assumptions": ["linear elastic K field down to the cohesive zone (K-dominance)", "0 K, no lattice trapping",
                        "emission on one slip plane containing the front; tension-shear coupling neglected",
                        "isotropic angular factor F12(theta) also in the anisotropic estimate"],
        "references": ["A. A. Griffith (1921), Phil. Trans. R. Soc. A 221, 163",
                       "G. C. Sih, P. C. Paris, G. R. Irwin (1965), Int. J. Fract. Mech. 1, 189",
                       "J. R. Rice (1992), J. Mech. Phys. Solids 40, 239",
                       "J. R. Rice, R. Thomson (1974), Phil. Mag. 29, 73",
                       "T. C. T. Ting (1996), Anisotropic Elasticity, OUP, ch. 11"],
        "validation": [{"test": "tests/apps/test_fracture.py", "reference": "closed forms of Griffith and Rice for "
                        "the computed gamma_s, gamma_us, C_ij; Stroh vs Sih-Paris-Irwin", "status": "passing"},
                       {"test": "tests/laws/test_mechanics.py", "reference": "isotropic limits, Sih-Paris-Irwin",
                        "status": "passing"}],
    }

    def __init__(self, geometry: CrackGeometry, anisotropic: bool, length: float):
        if anisotropic and geometry.crack_frame is None:
            raise InputError("crack.anisotropic: true needs the crystal orientation (crack.front or crack.geometry)")
        self.geometry, self.anisotropic = geometry, bool(anisotropic)
        self.name = "crack tip (Griffith vs Rice)"
        self.inputs = {"surface_energy": Port("J/m^2", description="surface energy of the cleavage plane"),
                       "unstable_stacking_energy": Port("J/m^2", description="unstable stacking energy of the slip "
                                                                             "system"),
                       **{c: Port("Pa", description=f"elastic constant {c} (cube axes)") for c in ("C11", "C12", "C44")}}
        k = {"cleavage_toughness_isotropic": "Griffith K_Ic, isotropic (Hill moduli, plane strain)",
             "cleavage_toughness_anisotropic": "Griffith K_Ic, anisotropic (Stroh, crack frame); NaN without orientation",
             "emission_toughness_isotropic": "Rice K_Ie, isotropic (Hill moduli)",
             "emission_toughness_anisotropic": "Rice K_Ie, anisotropic slip-plane energy factors; NaN without "
                                               "orientation",
             "cleavage_toughness": "K_Ic used in the verdict", "emission_toughness": "K_Ie used in the verdict"}
        self.outputs = {"youngs_modulus": Port("Pa", description="Voigt-Reuss-Hill Young's modulus"),
                        "shear_modulus": Port("Pa", description="Voigt-Reuss-Hill shear modulus"),
                        "poisson_ratio": Port("", description="Voigt-Reuss-Hill Poisson ratio"),
                        **{name: Port(K_UNIT, description=d) for name, d in k.items()},
                        "toughness_ratio": Port("", description="K_Ie / K_Ic (> 1 brittle, < 1 ductile)")}
        self.scale = Scale(length, math.inf, "continuum crack (K field)")

    def parameters(self) -> dict[str, Any]:
        return {**self.geometry.to_dict(), "anisotropic": self.anisotropic}

    def evaluate(self, inputs: Mapping[str, np.ndarray], state: Any = None) -> Evaluation:
        g = self.geometry
        gs, gus = (np.asarray(inputs[k], dtype=float) for k in ("surface_energy", "unstable_stacking_energy"))
        c11, c12, c44 = (np.asarray(inputs[k], dtype=float) for k in ("C11", "C12", "C44"))
        iso = hill_moduli(c11, c12, c44)
        E, mu, nu = iso["youngs_modulus"], iso["shear_modulus"], iso["poisson_ratio"]
        kic = np.atleast_1d(mechanics.griffith_toughness(gs, E, nu, "strain"))
        kie = np.atleast_1d(mechanics.rice_emission_toughness(gus, mu, nu, g.slip_angle, g.tilt))
        kic_a, kie_a = np.full_like(kic, np.nan), np.full_like(kie, np.nan)
        if g.crack_frame is not None:
            f12 = float(mechanics.resolved_shear_factor(g.slip_angle))
            for b in range(len(gs)):                   # one 6x6 Stroh eigenproblem per crystal
                C = mechanics.cubic_stiffness(c11[b], c12[b], c44[b])
                kic_a[b] = mechanics.anisotropic_griffith_toughness(gs[b], C, g.crack_frame, method="stroh")
                lam = mechanics.crack_compliance_stroh(C, g.slip_frame)
                if not gus[b] > 0:
                    raise InputError(f"{self.name}: unstable_stacking_energy must be positive, got {gus[b]!r} J/m^2")
                kie_a[b] = math.sqrt(gus[b] * (1 / lam[0, 0] + math.tan(g.tilt) ** 2 / lam[2, 2])) / f12
        kc, ke = (kic_a, kie_a) if self.anisotropic else (kic, kie)
        return Evaluation(outputs={"youngs_modulus": E, "shear_modulus": mu, "poisson_ratio": nu,
                                   "cleavage_toughness_isotropic": kic, "cleavage_toughness_anisotropic": kic_a,
                                   "emission_toughness_isotropic": kie, "emission_toughness_anisotropic": kie_a,
                                   "cleavage_toughness": kc, "emission_toughness": ke, "toughness_ratio": ke / kc},
                          info={"zener_anisotropy": iso["zener_anisotropy"]})
