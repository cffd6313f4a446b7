"""The battery app end to end: scenario -> model tree -> coupled runs -> run record.

References that do not come from the chain itself: the global heat balance of Bernardi,
Pawlikowski & Newman (1985) (ohmic + irreversible heat = I (U_p - U_n - V)); first-order
convergence of a staggered (operator-split) coupling in the window length; the lumped
limit of the through-thickness heat equation at small Biot number (Incropera & DeWitt,
sec. 5.2); the surface hoop stress of a free sphere (Zhang, Shyy & Sastry 2007, eq. 9).
"""

import json

import numpy as np
import pytest
import yaml

from scalebridge.apps.battery import SCENARIOS, ConstantCurrent, Mesh, Scenario, build
from scalebridge.apps.battery.electrothermal import (lumped_cell_thermal, solve_electrothermal,
                                                     x_resolved_cell_thermal)
from scalebridge.apps.battery.dfn import DFN
from scalebridge.apps.battery.parameters import parameter_set
from scalebridge.apps.battery.run import stress_at_most_stressed_location
from scalebridge.cli import main

ACTIVATION = {"Electrolyte conductivity activation energy [J.mol-1]": "17 kJ/mol",
              "Electrolyte diffusivity activation energy [J.mol-1]": "17 kJ/mol",
              "Negative particle diffusivity activation energy [J.mol-1]": "30 kJ/mol",
              "Positive particle diffusivity activation energy [J.mol-1]": "25 kJ/mol"}

SMALL = {
    "app": "battery", "name": "small_battery", "seed": 3,
    "parameters": {"set": "Chen2020", "overrides": ACTIVATION},
    "mesh": {"negative": 6, "separator": 3, "positive": 6, "particle": 8},
    "microstructure": {"negative": {"packing": {"voxels": 24, "sphere_radius": 3.5}},
                       "positive": {"packing": {"voxels": 24, "sphere_radius": 3.5}}},
    "protocol": {"c_rates": [1.5], "lower_cutoff": "2.5 V", "output_interval": "60 s"},
    "thermal": {"model": "lumped", "ambient_temperature": "25 degC", "heat_capacity": "76 J/K",
                "heat_transfer": "0.053 W/K", "window": "120 s"},
    "mechanics": {"negative": {"youngs_modulus": "15 GPa", "poisson_ratio": 0.3,
                               "partial_molar_volume": "3.1e-6 m^3/mol", "fracture_strength": "60 MPa",
                               "fracture_toughness": "1 MPa*m^0.5"}},
    "pressure_study": {"pressures": ["0 GPa", "2 GPa"], "rtol": 0.05, "steps": 40},
}


def _params():
    p = parameter_set("Chen2020")
    p.update({k: float(v.split()[0]) * 1e3 for k, v in ACTIVATION.items()})
    return p


@pytest.fixture(scope="module")
def cell():
    return DFN(_params(), Mesh(6, 3, 6, 8))


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    """``scalebridge run`` of the small scenario; the record's metadata and directory."""
    root = tmp_path_factory.mktemp("battery")
    path = root / "small.yaml"
    path.write_text(yaml.safe_dump(SMALL))
    assert main(["run", str(path), "-o", str(root / "runs")]) == 0
    (record,) = (root / "runs").iterdir()
    return json.loads((record / "run.json").read_text()), record


def test_run_writes_a_complete_record(small_run):
    meta, record = small_run
    assert meta["status"] == "finished"
    assert set(meta["figures"]) == {"scale_map.png", "battery_voltage.png", "battery_temperature.png",
                                    "battery_electrolyte_concentration.png", "battery_particle_stress_negative.png",
                                    "battery_pressure_study.png"}
    for name in meta["figures"]:
        assert (record / name).stat().st_size > 10_000
    arrays = np.load(record / "arrays.npz")
    for key in ("1p5C_voltage_V", "1p5C_temperature_K", "1p5C_electrolyte_concentration_mol_m3",
                "stress_negative_1p5C_hoop_Pa", "pressure_max_c_rate", "1p5C_isothermal_voltage_V"):
        assert key in arrays and np.all(np.isfinite(arrays[key]))
    names = {c["name"] for c in meta["checks"]}
    assert {"energy balance (1.5C)", "heat sources vs electrical loss (1.5C)", "coupling window (1.5C)"} <= names
    assert all(c["passed"] for c in meta["checks"]), [c for c in meta["checks"] if not c["passed"]]
    res = meta["results"]
    run = res["runs"]["1.5C"]
    assert run["termination"] == "lower voltage cut-off 2.5 V"
    assert run["energy_balance_error"] < 1e-9
    assert run["max_temperature_K"] > 298.15 + 5
    mech = res["mechanics"]["negative 1.5C"]
    # graphite delithiates on discharge: tensile hoop stress at the surface, largest next to the separator
    assert mech["max_tensile_hoop_MPa"] > 0 and mech["at_r_over_R"] == pytest.approx(1.0)
    assert mech["most_stressed_x_um"] > 0.5 * 85.2
    assert mech["cracking_indicator"] == pytest.approx(mech["max_tensile_hoop_MPa"] / 60.0)
    assert res["pressure_study"]["max_c_rate"][1] < res["pressure_study"]["max_c_rate"][0]
    assert meta["inputs"]["thermal"]["heat_capacity"] == "76 J/K"


def test_microstructure_transport_enters_the_cell_model():
    """End to end: the D_eff the DFN applies inside each electrode equals eps/tau x D of the microstructure Model,
    not Bruggeman's eps^1.5 x D of the parameter set."""
    chain = build(Scenario.model_validate(SMALL))
    cell = chain.cell
    D = float(cell.D_e(np.array(1000.0), 298.15))
    faces = {"negative": 2, "positive": cell.n_x - 3}       # interior faces of each electrode
    for region, model in chain.microstructures.items():
        ev = model.evaluate({"electrolyte_diffusivity": np.array([D]), "electrolyte_conductivity": np.array([1.0])})
        eps, tau = float(ev["porosity"][0]), float(ev["tortuosity_factor"][0])
        D_eff_cell = cell.B_face[faces[region]] * D
        assert D_eff_cell == pytest.approx(eps / tau * D, rel=1e-12)
        assert D_eff_cell == pytest.approx(float(ev["effective_electrolyte_diffusivity"][0]), rel=1e-12)
        cells = np.flatnonzero(cell.region == region[0])
        assert np.allclose(cell.eps[cells], eps)                 # storage porosity of the image too
        assert abs(eps / tau / eps**1.5 - 1) > 0.05              # overlapping spheres: tau above Bruggeman
    assert chain.transport["negative"].efficiency == pytest.approx(chain.transport["negative"].porosity
                                                                   / chain.transport["negative"].tortuosity_factor)


def test_electrothermal_energy_balance_and_window_convergence(cell):
    """Heat generated = stored + removed to round-off; ohmic + irreversible heat = I (U_p - U_n - V) within 1 %
    (Bernardi et al. 1985; measured 4e-4); the staggered coupling converges at first order in the window:
    halving the window halves the change of the end temperature (ratios 1.7-2.3)."""
    profile = ConstantCurrent(c_rate=1.0, duration=1800.0)
    ends, voltages = [], []
    for window in (480.0, 240.0, 120.0, 60.0):
        sol = solve_electrothermal(cell, profile, lumped_cell_thermal(cell, 76.0, 0.053, 298.15), window=window,
                                   output_interval=60.0)
        assert sol.energy["balance_error"] < 1e-9
        assert sol.energy["heat_source_error"] < 0.01
        e = sol.energy
        assert e["generated"] == pytest.approx(e["stored"] + e["removed"], rel=1e-9)
        ends.append(sol.thermal_state[-1, 0])
        voltages.append(sol.voltage[-1])
    dT = np.abs(np.diff(ends))
    ratios = dT[:-1] / dT[1:]
    assert np.all((ratios > 1.7) & (ratios < 2.3)), (ends, ratios)
    assert dT[-1] < 0.05                                         # K, at a 60 s window (tau_th = 1434 s)
    dV = np.abs(np.diff(voltages))
    assert dV[-1] < dV[0]


def test_two_way_coupling_raises_the_discharge_voltage(cell):
    """Higher T -> faster kinetics and transport (Arrhenius) -> lower resistance -> higher voltage on discharge
    than the isothermal run at ambient, at every time after the first window, and more capacity to the cut-off."""
    profile = ConstantCurrent(c_rate=2.0)
    iso = solve_electrothermal(cell, profile, None, output_interval=60.0)
    hot = solve_electrothermal(cell, profile, lumped_cell_thermal(cell, 76.0, 0.053, 298.15), window=60.0,
                               output_interval=60.0)
    t = np.linspace(120.0, min(iso.t[-1], hot.t[-1]) - 1.0, 50)
    gain = np.interp(t, hot.t, hot.voltage) - np.interp(t, iso.t, iso.voltage)
    assert np.all(gain > 0) and gain.mean() > 0.02               # V
    assert hot.discharge_capacity[-1] > iso.discharge_capacity[-1]
    assert np.all(np.diff(hot.thermal_state[:, 0]) > 0)          # the cell heats up all along a 2C discharge


def test_x_resolved_balance_follows_the_lumped_one_at_small_biot(cell):
    """The through-thickness balance with the same heat capacity and cooling per unit area stays uniform (Bi ~ 1e-5)
    and its mean follows the lumped balance (Incropera & DeWitt sec. 5.2) within 1 % of the temperature rise."""
    rho_cp = 2.5e6
    L = cell.dx.sum()
    C_area = rho_cp * L
    hA = 0.053
    lumped = lumped_cell_thermal(cell, C_area * cell.area, hA, 298.15)
    xres = x_resolved_cell_thermal(cell, dict(negative=1.0, separator=0.3, positive=1.0),
                                   dict(negative=rho_cp, separator=rho_cp, positive=rho_cp),
                                   hA / (2 * cell.area), 298.15)
    profile = ConstantCurrent(c_rate=1.0, duration=1200.0)
    a = solve_electrothermal(cell, profile, lumped, window=60.0, output_interval=60.0)
    b = solve_electrothermal(cell, profile, xres, window=60.0, output_interval=60.0)
    rise = a.thermal_state[-1, 0] - 298.15
    assert rise > 1.0
    assert b.mean_temperature[-1] == pytest.approx(a.mean_temperature[-1], abs=0.01 * rise)
    assert np.ptp(b.thermal_state[-1]) < 1e-3 * rise
    assert b.energy["balance_error"] < 1e-6


def test_surface_hoop_stress_matches_the_free_sphere(cell):
    """At r = R the hoop stress is E Omega (c_mean - c_surf) / (3 (1 - nu)) (Zhang, Shyy & Sastry 2007, eq. 9),
    with the DFN's conserved particle mean and surface concentration: within 2 % at 8 shells (measured: 0.95 %;
    particle_stress integrates cbar(R) from the piecewise-linear profile, which differs from the finite-volume mean
    at second order in the shell width)."""
    chain = build(Scenario.model_validate(SMALL))
    node = chain.stress_nodes[0]
    sol = solve_electrothermal(cell, ConstantCurrent(c_rate=1.0, duration=900.0), None, output_interval=60.0)
    res = stress_at_most_stressed_location(node, cell, sol)
    i = res["cell"]
    cs = sol.particle_concentration[i]                                   # (N_r, P)
    faces = np.arange(node.n_r + 1) * node.radius / node.n_r
    mean = np.diff(faces**3) @ cs / node.radius**3
    m = node.mechanics
    expected = m.youngs_modulus * m.partial_molar_volume * (mean - sol.surface_concentration[i]) / (
        3 * (1 - m.poisson_ratio))
    assert res["hoop"][1:, -1] == pytest.approx(expected[1:], rel=0.02)
    assert res["cracking"].max_tensile_hoop == pytest.approx(res["hoop"].max())


@pytest.mark.parametrize("edit, expected", [
    ({"thermal": {"model": "lumped", "heat_capacity": "76 J", "heat_transfer": "0.05 W/K"}},
     "thermal.lumped.heat_capacity"),
    ({"parameters": {"overrides": {"Electrolyte conductivity": 1.0}}}, "Electrolyte conductivity [S.m-1]"),
    ({"parameters": {"overrides": {"Negative particle radius [m]": "5 V"}}}, "Negative particle radius"),
    ({"protocol": {"c_rates": [0.0]}}, "c_rates"),
    ({"mesh": {"negative": 1}}, "mesh.negative"),
    ({"microstructure": {"negative": {"image": "no_such_file.npy", "voxel_size": "1 um"}}}, "microstructure.negative"),
    ({"thermal": {"model": "radiative"}}, "thermal"),
    ({"pressure_study": {"pressures": ["1 GPa", "0 GPa"]}}, "pressures"),
    ({"cooling": "yes"}, "cooling"),
])
def test_bad_input_exits_2(tmp_path, capsys, edit, expected):
    scenario = {**SMALL, **edit}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(scenario))
    assert main(["check", str(path)]) == 2
    assert expected in capsys.readouterr().err


def test_shipped_scenarios_validate_and_check():
    assert set(SCENARIOS) >= {"c_rates", "pressure_study"}
    for path in SCENARIOS.values():
        assert main(["check", str(path)]) == 0
