"""Cell models of the battery app: DFN (P2D), SPMe, SPM on the Chen et al. (2020) LG M50 set.

References: Doyle, Fuller & Newman (1993) J. Electrochem. Soc. 140, 1526 (DFN model);
Marquis et al. (2019) J. Electrochem. Soc. 166, A3693 and Brosa Planella et al. (2022)
Prog. Energy 4, 042003 (SPMe as the low-rate limit of the DFN model); Chen et al. (2020)
J. Electrochem. Soc. 167, 080534 (parameters); Bernardi, Pawlikowski & Newman (1985)
J. Electrochem. Soc. 132, 5 (heat sources); PyBaMM 26.10 (independent DFN, stored curve).
"""

from pathlib import Path

import numpy as np
import pytest

from scalebridge.apps.battery import (DFN, SPM, ConstantCurrent, ConstantVoltage, DriveCycle, Mesh, Protocol, Rest,
                                      SPMe, parameter_set)
from scalebridge.core.errors import InputError

DATA = Path(__file__).parent / "data" / "battery_pybamm_chen2020_1C.csv"


@pytest.fixture(scope="module")
def dfn():
    return DFN("Chen2020")


@pytest.fixture(scope="module")
def discharge_1c(dfn):
    return dfn.solve(ConstantCurrent(c_rate=1.0), t_eval=np.linspace(0, 4000, 201))


@pytest.fixture(scope="module")
def slow_discharges():
    t = np.linspace(0, 1.2 * 20 * 3600, 400)
    return {M.name: M("Chen2020").solve(ConstantCurrent(c_rate=0.05), t_eval=t) for M in (DFN, SPMe, SPM)}


def test_dfn_matches_pybamm_at_1c(discharge_1c):
    """Terminal voltage within 10 mV RMS of PyBaMM's DFN (Chen2020, 1C, default 20/20/20/20 mesh).

    Reference: the stored PyBaMM 26.10 curve (benchmarks/battery_reference.py made it).
    """
    ref = np.loadtxt(DATA, delimiter=",")
    sol = discharge_1c
    assert sol.termination == "lower voltage cut-off 2.5 V"
    assert abs(sol.t[-1] - ref[-1, 0]) < 0.005 * ref[-1, 0]          # same end of discharge within 0.5 %
    inside = ref[:, 0] <= sol.t[-1]
    v = np.interp(ref[inside, 0], sol.t, sol.voltage)
    rms = np.sqrt(np.mean((v - ref[inside, 1]) ** 2))
    assert rms < 0.010, f"RMS {rms * 1e3:.2f} mV"


def test_spme_agrees_with_dfn_at_c_over_20(slow_discharges):
    """SPMe is the low-rate asymptotic limit of the DFN model (Marquis et al. 2019): within 3 mV at C/20."""
    d, s = slow_discharges["DFN"], slow_discharges["SPMe"]
    assert d.termination == s.termination == "lower voltage cut-off 2.5 V"
    t = d.t[d.t < 0.98 * min(d.t[-1], s.t[-1])]
    dv = np.interp(t, s.t, s.voltage) - np.interp(t, d.t, d.voltage)
    assert np.max(np.abs(dv)) < 0.003
    assert abs(s.t[-1] - d.t[-1]) < 0.002 * d.t[-1]
    # the SPM lacks the electrolyte: it is close at C/20 too, but less so than the SPMe
    m = slow_discharges["SPM"]
    dm = np.interp(t, m.t, m.voltage) - np.interp(t, d.t, d.voltage)
    assert np.max(np.abs(dv)) < np.max(np.abs(dm)) < 0.010


@pytest.mark.parametrize("name", ["DFN", "SPMe", "SPM"])
def test_lithium_is_conserved_over_a_full_discharge(slow_discharges, discharge_1c, name):
    """Total lithium (solid + electrolyte) is an invariant of the DFN equations (Doyle et al. 1993): 1e-10."""
    for sol in ([slow_discharges[name]] + ([discharge_1c] if name == "DFN" else [])):
        li = sol.lithium_inventory
        drift = np.max(np.abs(li["total"] - li["total"][0])) / li["total"][0]
        assert drift < 1e-10
        # lithium moved from the negative to the positive particles: the solid total is conserved too,
        # because the reaction currents of the two electrodes cancel (charge neutrality)
        assert np.max(np.abs(li["solid"] - li["solid"][0])) / li["solid"][0] < 1e-10


def test_ionic_current_in_separator_equals_applied_current(dfn, discharge_1c):
    """Charge conservation: in the separator the whole current is ionic, i_e = I (Doyle et al. 1993)."""
    sol = discharge_1c
    i_e = sol.electrolyte_current[dfn.separator_faces]
    I = sol.current / dfn.area
    assert np.max(np.abs(i_e - I) / np.abs(I)) < 1e-5   # Newton tolerance of the algebraic rows


def test_heat_sources_close_the_energy_balance(dfn, discharge_1c):
    """Bernardi et al. (1985): ohmic + irreversible heat = -I V - integral a j U dx (here per m^2)."""
    sol = discharge_1c
    k = np.arange(5, sol.t.size - 5, 20)
    sub = type(sol)(dfn, sol.t[k], sol.voltage[k], sol.current[k], sol.states[:, k], sol.termination,
                    sol.step_reasons, sol.counters, sol.timings, sol.temperature)
    q = sub.heat_sources
    assert np.all(q["irreversible"] >= 0) and np.all(q["ohmic_solid"] >= 0)
    irreversible = dfn.dx @ (q["ohmic_solid"] + q["ohmic_electrolyte"] + q["irreversible"])
    j = sub.interfacial_current
    U = np.empty_like(j)
    nn = dfn.nn
    cs = sub.particle_concentration[:, -1, :]
    # open-circuit potential at the surface (flux-consistent extrapolation as in the model)
    for dom, sl in (("n", slice(0, nn)), ("p", slice(nn, None))):
        e = dfn.electrode[dom]
        csurf = cs[sl] + dfn._thermal(sol.temperature(0))["delta"][sl, None] * j[sl]
        U[sl] = e["U"](csurf / e["c_max"])
    expected = -sub.current / dfn.area * sub.voltage - (dfn.src @ (j * U))
    assert np.allclose(irreversible, expected, rtol=0.02)
    assert np.all(q["reversible"] == 0)   # dU/dT = 0 in Chen2020


def test_jacobian_is_the_derivative_of_the_residual(dfn, discharge_1c):
    """Analytic sparse Jacobian against central differences, with T-dependent parameters (x-resolved T)."""
    params = parameter_set("Chen2020")
    params["Negative particle diffusivity activation energy [J.mol-1]"] = 30e3
    params["Electrolyte conductivity activation energy [J.mol-1]"] = 10e3
    params["Electrolyte diffusivity activation energy [J.mol-1]"] = 15e3
    m = DFN(params, Mesh(6, 4, 6, 5))
    T = np.linspace(300.0, 310.0, m.n_x)
    sol = m.solve(ConstantCurrent(c_rate=2.0, duration=600), t_eval=[0, 300, 600], temperature=T)
    for seg in (ConstantCurrent(current=5.0), ConstantVoltage(3.6, 10.0)):
        m._segment, m._t_seg0 = seg.segments(5.0, (2.5, 4.2))[0], 0.0
        y = sol.states[:, 1]
        J = m.jacobian(0.0, y).toarray()
        fd = np.empty_like(J)
        for k in range(y.size):
            h = 1e-6 * m.variable_scale[k] * (1e-3 if k >= m.offsets["ps"] else 1.0)
            e = np.zeros(y.size)
            e[k] = h
            fd[:, k] = (m.residual(0.0, y + e) - m.residual(0.0, y - e)) / (2 * h)
        scale = np.abs(fd).max(axis=1, keepdims=True)
        assert np.max(np.abs(J - fd) / scale) < 1e-5


def test_warmer_cell_has_lower_overpotential():
    """Arrhenius kinetics and transport: at 1C the voltage of a cell at 318 K lies above that at 298 K."""
    params = parameter_set("Chen2020")
    params["Electrolyte conductivity activation energy [J.mol-1]"] = 17e3
    m = DFN(params, Mesh(8, 5, 8, 8))
    t = np.linspace(0, 1800, 7)
    cold = m.solve(ConstantCurrent(c_rate=1.0, duration=1800), t_eval=t, temperature=298.15)
    warm = m.solve(ConstantCurrent(c_rate=1.0, duration=1800), t_eval=t, temperature=318.15)
    assert np.all(warm.voltage[1:] > cold.voltage[1:])
    ramp = m.solve(ConstantCurrent(c_rate=1.0, duration=1800), t_eval=t, temperature=lambda s: 298.15 + 20 * s / 1800)
    # a temperature history: at its end (318 K) the voltage is that of the warm cell, not the cold one
    assert abs(ramp.voltage[-1] - warm.voltage[-1]) < 0.1 * abs(ramp.voltage[-1] - cold.voltage[-1])


@pytest.mark.parametrize("Model", [DFN, SPMe, SPM])
def test_cccv_protocol_and_drive_cycle(Model):
    """CC discharge to the cut-off, rest, CC charge to 4.2 V, CV at 4.2 V to C/20; a short drive cycle."""
    m = Model("Chen2020", Mesh(8, 5, 8, 8))
    p = Protocol([ConstantCurrent(c_rate=2.0), Rest(300), ConstantCurrent(c_rate=-1.0, duration=1200),
                  ConstantCurrent(c_rate=-1.0), ConstantVoltage(4.2, 7200, current_limit=0.25)])
    sol = m.solve(p)
    assert sol.step_reasons == ["lower voltage cut-off 2.5 V", "end of step", "end of step",
                                "upper voltage cut-off 4.2 V", "current limit 0.25 A"]
    assert sol.termination == "current limit 0.25 A"
    assert abs(sol.voltage[-1] - 4.2) < 1e-6 and abs(sol.current[-1] + 0.25) < 1e-6
    assert sol.counters["steps"] > 0 and sol.timings["solve"] > 0
    cycle = DriveCycle([0, 30, 60, 90, 120], [0.0, 10.0, -5.0, 2.0, 0.0], repeats=2)
    # from the fully charged cell, the charging pulses hit the upper cut-off: an event, not an error
    assert m.solve(cycle, initial_state=sol.final_state).termination == "upper voltage cut-off 4.2 V"
    half = m.solve(ConstantCurrent(c_rate=1.0, duration=1800))
    drive = m.solve(cycle, t_eval=np.arange(0, 241, 30.0), initial_state=half.final_state)
    assert drive.termination == "end of profile"
    assert np.allclose(drive.current, np.interp(drive.t % 120, [0, 30, 60, 90, 120], [0, 10, -5, 2, 0]), atol=1e-8)


def test_bad_input_names_the_argument():
    with pytest.raises(InputError, match="Mesh.particle"):
        Mesh(particle=1)
    with pytest.raises(InputError, match="missing key 'Separator porosity'"):
        params = parameter_set("Chen2020")
        del params["Separator porosity"]
        DFN(params)
    with pytest.raises(InputError, match="parameter set"):
        DFN("Nobody1999")
    m = SPM("Chen2020", Mesh(4, 4, 4, 4))
    with pytest.raises(InputError, match="temperature"):
        m.solve(ConstantCurrent(c_rate=1.0), temperature=-3.0)
    with pytest.raises(InputError, match="profile"):
        m.solve("1C")
    with pytest.raises(InputError, match="exactly one"):
        m.solve(ConstantCurrent(current=5.0, c_rate=1.0))
    with pytest.raises(InputError, match="initial_state"):
        m.solve(ConstantCurrent(c_rate=1.0), initial_state=np.zeros(3))
    with pytest.raises(InputError, match="DriveCycle.times"):
        m.solve(DriveCycle([0, 2, 1], [0, 1, 2]))
