"""Every consistency check fails on a deliberately broken model, and passes on the sound one.

Broken on purpose: a tangent off by a factor, boundary conditions that break Hill-Mandel,
a restriction that loses flux, a unit mismatch, colliding scales, an energy-based
atomistic/continuum coupling with ghost forces; run_checks aggregates them and names
the offending model and port. (A non-physical surrogate is flagged in
tests/reduction/test_fidelity.py.)
"""

import numpy as np
import pytest

from scalebridge.core import Evaluation, FunctionModel, Port, Scale, chain, run_checks, upscale
from scalebridge.core.consistency import check_conservation, check_hill_mandel, check_tangent

MICRO, MACRO = Scale("1 um", "1 ms", "micro"), Scale("1 mm", "1 s", "macro")


class CubicLaw:
    """flux = k (g + g^3) per component, with an analytic tangent; ``error`` scales the tangent (1 = correct)."""

    def __init__(self, error=1.0, name="cubic law"):
        self.name, self.error, self.scale = name, error, MICRO
        self.inputs = {"gradient": Port("K/m", (2,))}
        self.outputs = {"flux": Port("W/m^2", (2,))}

    def evaluate(self, inputs, state=None):
        g = np.asarray(inputs["gradient"], dtype=float)
        t = np.einsum("bi,ij->bij", 1.0 + 3.0 * g ** 2, np.eye(2)) * self.error
        return Evaluation({"flux": g + g ** 3}, tangents={("flux", "gradient"): t})

    def sample_inputs(self):
        return {"gradient": np.array([[0.3, -1.2], [2.0, 0.5]])}


def test_tangent_check_passes_a_consistent_tangent_and_names_a_wrong_one():
    (ok,) = check_tangent(CubicLaw(), CubicLaw().sample_inputs())
    assert ok.passed and ok.data["relative_error"] < 1e-8
    (bad,) = check_tangent(CubicLaw(error=1.02), CubicLaw().sample_inputs())
    assert not bad.passed and bad.data["relative_error"] == pytest.approx(0.02, rel=1e-3)
    assert bad.name == "tangent cubic law: dflux/dgradient"


def test_hill_mandel_passes_periodic_fields_and_fails_an_inconsistent_boundary_condition():
    """Periodic FFT solution: residual ~1e-15 (Hill 1963). Broken: the same flux field paired with a gradient
    field whose fluctuation u' = (x - 1/2)(y - 1/2)/2 is not periodic (a kinematic condition that shears the
    cell faces): <q.g> - <q>.<g> = the boundary integral of u' q.n, 1.5 % here (off-centre inclusion)."""
    from scalebridge.solvers.cell import hill_mandel_residual
    from scalebridge.solvers.fft import solve_conductivity

    n = 32
    x = (np.arange(n) + 0.5) / n
    phases = ((x[:, None] - 0.3) ** 2 + (x[None, :] - 0.35) ** 2 < 0.04).astype(int)
    sol = solve_conductivity(phases, [1.0, 10.0], [[1.0, 0.0]], return_fields=True)
    g, q = sol.fields["gradient"], sol.fields["flux"]
    assert check_hill_mandel(hill_mandel_residual(g, q)).passed
    X, Y = np.meshgrid(x, x, indexing="ij")
    broken = g.copy()
    broken[:, 0] += 0.5 * (Y - 0.5)                                  # grad of (x - 1/2)(y - 1/2)/2
    broken[:, 1] += 0.5 * (X - 0.5)
    result = check_hill_mandel(hill_mandel_residual(broken, q), name="cell with a wrong BC")
    assert not result.passed and result.data["max_residual"] == pytest.approx(0.0147, rel=0.01) and "cell with a wrong BC" in result.name


def _bridge(restrict_mean=True):
    """Coarse rate = mean of four fine sub-cell rates (lift spreads each coarse point over 4 fine points)."""
    fine = FunctionModel(lambda concentration: {"rate": 2.0 * concentration}, {"concentration": Port("mol/m^3")},
                         {"rate": Port("mol/(m^3*s)")}, MICRO, "sub-cells")
    spread = np.array([0.7, 0.9, 1.1, 1.3])

    def lift(c):
        return {"concentration": (c["concentration"][:, None] * spread).ravel()}

    def restrict(ev, c):
        r = ev["rate"].reshape(-1, 4)
        return {"rate": r.mean(axis=1) if restrict_mean else r[:, 0]}   # the broken one keeps one sub-cell

    return upscale(fine, lift, restrict, inputs={"concentration": Port("mol/m^3")},
                   outputs={"rate": Port("mol/(m^3*s)")}, scale=MACRO, name="homogenised rate")


def test_conservation_passes_an_averaging_restriction_and_fails_one_that_loses_flux():
    c = {"concentration": np.array([1.0, 3.0])}
    (ok,) = check_conservation(_bridge(), c, {"rate": "rate"})
    assert ok.passed and ok.data["relative_imbalance"] < 1e-14
    (bad,) = check_conservation(_bridge(restrict_mean=False), c, {"rate": "rate"})
    assert not bad.passed and bad.name == "conservation homogenised rate.rate <- sub-cells.rate"
    assert bad.data["relative_imbalance"] == pytest.approx(0.3 / 1.0, rel=1e-12)   # 0.7 kept vs the mean 1.0


def test_run_checks_aggregates_and_names_the_offending_model_and_port():
    class Stiffer(CubicLaw):
        """The same law one scale up: gradient in, flux2 out, with a tangent 1.5 times too large."""

        def __init__(self):
            super().__init__(error=1.5, name="bad law")
            self.inputs, self.outputs = {"flux": Port("W/m^2", (2,))}, {"flux2": Port("W/m^2", (2,))}

        def evaluate(self, inputs, state=None):
            ev = super().evaluate({"gradient": inputs["flux"]})
            return Evaluation({"flux2": ev["flux"]}, tangents={("flux2", "flux"): ev.tangents[("flux", "gradient")]})

        def sample_inputs(self):
            return {"flux": super().sample_inputs()["gradient"]}

    results = {r.name: r for r in run_checks(chain(CubicLaw(name="good law"), Stiffer(), name="two laws"))}
    assert results["tangent good law: dflux/dgradient"].passed
    failed = results["tangent bad law: dflux2/dflux"]
    assert not failed.passed and failed.data["model"] == "bad law" and failed.data["output"] == "flux2"


def test_structural_checks_fail_on_broken_trees():
    """A connection whose units were altered after construction, and a fine scale at 30 % of the coarse one."""
    from dataclasses import replace

    from scalebridge.core.checks import check_scale_separation, check_units

    fine = FunctionModel(lambda x: {"y": x}, {"x": Port("K")}, {"y": Port("1/s")}, Scale("0.3 mm", "1 ms"), "fine")
    up = upscale(fine, lambda c: {"x": c["x"]}, lambda ev, c: {"y": ev["y"]}, inputs={"x": Port("K")},
                 outputs={"y": Port("1/s")}, scale=MACRO, name="bridge")
    (sep,) = check_scale_separation(up)
    assert not sep.passed and "scales collide" in sep.message
    consumer = FunctionModel(lambda y: {"z": y}, {"y": Port("1/s")}, {"z": Port("1/s")}, Scale("1 m", "1 s"), "consumer")
    tree = chain(up, consumer)
    tree.couplings[0] = replace(tree.couplings[0], input_port=Port("Pa"))     # broken after construction
    (units,) = check_units(tree)
    assert not units.passed and "'y'" in units.message and "consumer" in units.message


def test_patch_test_flags_ghost_forces_of_the_energy_based_coupling():
    """Shenoy et al. 1999: QCE has ghost forces at the interface; the ghost-force-corrected coupling has none."""
    from scalebridge.core.checks import patch_test
    from scalebridge.coupling.domain import QCE, GhostForceCorrectedQC
    from scalebridge.coupling.pair_potentials import HarmonicBonds

    bonds = HarmonicBonds((1.0, 0.25), 1.0)
    ghost = patch_test(QCE(bonds, 41, (15, 25), element_size=3))
    assert not ghost.passed and ghost.data["max_ghost_force"] > 1e-3
    assert patch_test(GhostForceCorrectedQC(bonds, 41, (15, 25), element_size=3)).passed
