"""The fracture app: Rice's ductile/brittle verdict computed end to end from the potential.

References: Griffith (1921) and Irwin, K_Ic = sqrt(2 gamma_s E'); Rice (1992), J. Mech. Phys.
Solids 40, 239: K_Ie = sqrt(2 mu gamma_us [1 + (1 - nu) tan^2 phi] / (1 - nu)) / F12(theta),
F12 = cos^2(theta/2) sin(theta/2); Sih, Paris & Irwin (1965) for a crack on a symmetry plane;
Hill (1952) for the isotropic moduli; Born & Huang (1954) for the Cauchy relation of pair potentials.
"""

import json
import math
from pathlib import Path

import numpy as np
import pytest
import yaml

from scalebridge.apps.fracture import SCENARIOS, Scenario, build, run, summary_table
from scalebridge.apps.fracture.geometry import resolve_geometry
from scalebridge.apps.fracture.models import FractureCriterionModel
from scalebridge.cli import main
from scalebridge.core.checks import run_checks
from scalebridge.core.describe import describe
from scalebridge.laws import mechanics

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "fracture" / "ductile_brittle.yaml"


@pytest.fixture(scope="module")
def cu_record(tmp_path_factory):
    """`scalebridge run` of the shipped example (Cu, EMT); the record directory."""
    out = tmp_path_factory.mktemp("runs")
    assert main(["run", str(EXAMPLE), "-o", str(out)]) == 0
    (record,) = out.iterdir()
    return record


@pytest.fixture(scope="module")
def cu(cu_record):
    return json.loads((cu_record / "run.json").read_text())["results"]


def test_cli_run_writes_record_with_verdict(cu_record, cu):
    """The record holds the verdict, the GSF curve, the figure; Cu (EMT) is ductile as in Rice (1992)."""
    meta = json.loads((cu_record / "run.json").read_text())
    assert meta["status"] == "finished"
    assert {"gsf_and_toughness.png", "scale_map.png"} <= set(meta["figures"])
    arrays = np.load(cu_record / "arrays.npz")
    assert arrays["gsf_energy_J_m2"].shape == arrays["gsf_fraction"].shape == (11,)
    assert arrays["elastic_constants_voigt_Pa"].shape == (6, 6)
    assert cu["verdict"] == "ductile (emission first)" and cu["ratio"] < 1
    assert {c["name"]: c["passed"] for c in cu["checks"]} == {"reference pressure": True, "expected verdict": True}
    assert any("gamma_isf" in note for note in cu["caveats"])          # EMT's negative intrinsic fault is flagged
    assert all(c["passed"] for c in meta["checks"])


def test_intermediates_equal_direct_calls_of_the_laws(cu):
    """End to end: a, C_ij, gamma_s(111), gamma_us are those of laws.cauchy_born / laws.defects called directly."""
    from ase.calculators.emt import EMT
    from scalebridge.laws.cauchy_born import elastic_constants, equilibrium_lattice_constant
    from scalebridge.laws.defects import generalized_stacking_fault, surface_energy

    a0 = (16 * math.pi / 3) ** (1 / 3) * 2.67 * 0.52917721         # EMT Cu s0 = 2.67 bohr, same start as the app
    a = equilibrium_lattice_constant(EMT(), "fcc", guess=a0, symbols="Cu")
    assert cu["lattice_constant_A"] == pytest.approx(a, rel=1e-6)
    C = elastic_constants(EMT(), "fcc", a=cu["lattice_constant_A"], symbols="Cu")
    for name in ("C11", "C12", "C44"):
        assert cu[f"{name}_GPa"] == pytest.approx(getattr(C, name) / 1e9, rel=1e-9)
    gs = surface_energy(EMT(), cu["lattice_constant_A"], "111", symbols="Cu")
    assert cu["gamma_s_J_m2"] == pytest.approx(gs.gamma, rel=1e-9)
    gsf = generalized_stacking_fault(EMT(), cu["lattice_constant_A"], symbols="Cu")
    assert cu["gamma_us_J_m2"] == pytest.approx(gsf.gamma_us, rel=1e-9)
    assert cu["gamma_isf_J_m2"] == pytest.approx(gsf.gamma_isf, rel=1e-9, abs=1e-12)
    # and the values docs/atomistic.md reports for EMT Cu (validated there against ASE to 1 %)
    assert (cu["C11_GPa"], cu["C12_GPa"], cu["C44_GPa"]) == pytest.approx((172.6, 115.4, 89.9), abs=0.1)
    assert cu["gamma_s_J_m2"] == pytest.approx(1.044, abs=1e-3) and cu["gamma_us_J_m2"] == pytest.approx(0.156, abs=1e-3)


def test_toughnesses_equal_closed_forms(cu):
    """Griffith and Rice in closed form for the computed gamma_s, gamma_us and Hill moduli; the ratio is modulus-free."""
    c11, c12, c44 = (cu[f"{c}_GPa"] * 1e9 for c in ("C11", "C12", "C44"))
    K = (c11 + 2 * c12) / 3
    mu = 0.5 * ((c11 - c12 + 3 * c44) / 5 + 5 * (c11 - c12) * c44 / (4 * c44 + 3 * (c11 - c12)))
    E, nu = 9 * K * mu / (3 * K + mu), (3 * K - 2 * mu) / (2 * (3 * K + mu))
    gs, gus = cu["gamma_s_J_m2"], cu["gamma_us_J_m2"]
    f12 = 2 / (3 * math.sqrt(3))                                        # cos(theta) = 1/3: the maximum of F12
    assert cu["geometry"]["slip_angle_deg"] == pytest.approx(math.degrees(math.acos(1 / 3)), abs=1e-10)
    assert cu["K_Ic_isotropic_MPa_m05"] == pytest.approx(math.sqrt(2 * gs * E / (1 - nu**2)) / 1e6, rel=1e-12)
    assert cu["K_Ie_isotropic_MPa_m05"] == pytest.approx(math.sqrt(2 * mu * gus / (1 - nu)) / f12 / 1e6, rel=1e-12)
    assert cu["ratio_isotropic"] == pytest.approx(math.sqrt(gus / (2 * gs)) / f12, rel=1e-12)
    stroh = mechanics.crack_compliance_stroh(mechanics.cubic_stiffness(c11, c12, c44),
                                             resolve_geometry(geometry="cleavage_111").crack_frame)[1, 1]
    assert cu["K_Ic_anisotropic_MPa_m05"] == pytest.approx(math.sqrt(2 * gs / stroh) / 1e6, rel=1e-9)
    assert cu["ratio"] == cu["ratio_anisotropic"] == pytest.approx(cu["K_Ie_anisotropic_MPa_m05"]
                                                                   / cu["K_Ic_anisotropic_MPa_m05"], rel=1e-12)


def _criterion(geometry, c44_factor=1.001, gs=1.0, gus=0.1, c11=200e9, c12=120e9):
    tip = FractureCriterionModel(geometry, True, 1e-5)
    return tip.evaluate({"surface_energy": np.array([gs]), "unstable_stacking_energy": np.array([gus]),
                         "C11": np.array([c11]), "C12": np.array([c12]),
                         "C44": np.array([c44_factor * (c11 - c12) / 2])})


@pytest.mark.parametrize("geometry", [resolve_geometry(geometry="cleavage_111"),
                                      resolve_geometry(geometry="cleavage_110"),
                                      resolve_geometry(plane=(1, -1, 0), front=(1, 1, -2))])  # phi = 30 deg
def test_anisotropic_criteria_tend_to_isotropic_ones(geometry):
    """Zener A = 1.001: Stroh K_Ic and the slip-plane K_Ie agree with Griffith and Rice within O(A - 1)."""
    ev = _criterion(geometry)
    assert ev["cleavage_toughness_anisotropic"][0] == pytest.approx(ev["cleavage_toughness_isotropic"][0], rel=1e-4)
    assert ev["emission_toughness_anisotropic"][0] == pytest.approx(ev["emission_toughness_isotropic"][0], rel=1e-4)


def test_anisotropic_cleavage_equals_sih_paris_irwin():
    """(010)[101] crack on a cubic mirror plane: Stroh K_Ic = Sih, Paris & Irwin (1965) closed form (Cu-like C_ij)."""
    g = resolve_geometry(geometry="cleavage_100")
    ev = _criterion(g, c44_factor=3.0, gs=1.2)
    s = np.linalg.inv(mechanics.rotate_stiffness(mechanics.cubic_stiffness(200e9, 120e9, 120e9), g.crack_frame))
    b = s - np.outer(s[:, 2], s[:, 2]) / s[2, 2]
    c_I = math.sqrt(b[0, 0] * b[1, 1] / 2) * math.sqrt(math.sqrt(b[1, 1] / b[0, 0]) + (2 * b[0, 1] + b[5, 5])
                                                      / (2 * b[0, 0]))
    assert ev["cleavage_toughness_anisotropic"][0] == pytest.approx(math.sqrt(2 * 1.2 / c_I), rel=1e-10)


@pytest.mark.parametrize("name, cos_theta, phi", [("cleavage_111", 1 / 3, 0.0), ("cleavage_100", 1 / math.sqrt(3), 0.0),
                                                 ("cleavage_110", math.sqrt(2 / 3), 0.0)])
def test_named_geometries(name, cos_theta, phi):
    """Slip-plane angle and tilt of the standard fcc orientations; frames orthonormal and right-handed."""
    g = resolve_geometry(geometry=name)
    assert math.cos(g.slip_angle) == pytest.approx(cos_theta, abs=1e-12) and g.tilt == pytest.approx(phi, abs=1e-12)
    for frame in (g.crack_frame, g.slip_frame):
        assert np.allclose(frame @ frame.T, np.eye(3), atol=1e-12) and np.linalg.det(frame) == pytest.approx(1.0)


def test_automatic_slip_plane_and_tilt():
    """Without a slip plane the {111} plane through the front with the largest F12 is chosen; <112> front: phi = 30 deg."""
    g = resolve_geometry(plane=(1, 1, 1), front=(1, -1, 0))
    assert g.slip_plane == (1, 1, -1) and math.cos(g.slip_angle) == pytest.approx(1 / 3)
    g = resolve_geometry(plane=(1, -1, 0), front=(1, 1, -2))
    assert g.slip_plane == (1, 1, 1) and math.degrees(g.tilt) == pytest.approx(30.0)
    assert math.degrees(g.slip_angle) == pytest.approx(90.0)


def test_lennard_jones_scenario_obeys_cauchy_relation():
    """Shipped LJ scenario: a pair potential has C12 = C44 at zero pressure (Born & Huang 1954); verdict printed."""
    s = Scenario.model_validate(yaml.safe_load(SCENARIOS["lj_fcc"].read_text()))
    summary = run(s)
    assert summary["C12_GPa"] == pytest.approx(summary["C44_GPa"], rel=1e-5)
    assert abs(summary["pressure_Pa"]) < 1e5
    assert summary["verdict"] in ("ductile (emission first)", "brittle (cleavage first)")
    assert {"K_Ic: Stroh = Sih-Paris-Irwin": True}.items() <= {c["name"]: c["passed"] for c in summary["checks"]}.items()
    assert summary_table(summary).row_count > 10


def test_check_and_describe_need_no_atomistic_solve(monkeypatch):
    """build() wires the tree lazily: checks and describe run with the engines disabled."""
    import scalebridge.apps.fracture.models as models

    def forbidden(*args, **kwargs):
        raise AssertionError("an atomistic calculation ran during check/describe")

    for name in ("elastic_constants", "equilibrium_lattice_constant", "surface_energy", "generalized_stacking_fault"):
        monkeypatch.setattr(models, name, forbidden)
    s = Scenario.model_validate(yaml.safe_load(EXAMPLE.read_text()))
    tree = build(s)
    checks = run_checks(tree)
    assert checks and all(c.passed for c in checks)
    doc = describe(tree)
    assert [c["card"]["role"] for c in doc["children"]] == ["bridging law"] * 3 + ["closure"]
    assert doc["children"][3]["outputs"]["toughness_ratio"]["unit"] == "dimensionless"


@pytest.mark.parametrize("edit, expected", [
    (lambda r: r["material"].update(lattice="bcc"), "material.lattice"),
    (lambda r: r["material"].update(potential={"finnis_sinclair": "W"}), "bcc metal"),
    (lambda r: r["material"].update(element="Fe"), "material.element"),
    (lambda r: r["material"].update(potential={"emt": {}, "lennard_jones": {"epsilon": "0.4 eV", "sigma": "2.3 A"}}),
     "exactly one potential"),
    (lambda r: r["material"].update(potential={"lennard_jones": {"epsilon": "0.4 eV", "sigma": "2.3 m/s"}}),
     "material.potential.lennard_jones.sigma"),
    (lambda r: r.update(crack={"plane": "111", "front": "100"}), "does not lie in the crack plane"),
    (lambda r: r.update(crack={"plane": "123", "front": "1-10"}), "crack.plane"),
    (lambda r: r.update(crack={"geometry": "cleavage_111", "plane": "100"}), "remove ['plane']"),
    (lambda r: r.update(crack={"geometry": "griffith"}), "crack.geometry"),
    (lambda r: r.update(crack={"plane": "111", "slip_angle": "70 deg"}), "anisotropic: true needs"),
    (lambda r: r.update(crack={"plane": "111", "front": "1-10", "slip_plane": "1-11"}), "does not contain"),
    (lambda r: r["crack"].update(angle="3"), "crack.angle: unknown key"),
])
def test_bad_scenarios_exit_2(tmp_path, capsys, edit, expected):
    raw = yaml.safe_load(EXAMPLE.read_text())
    edit(raw)
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(raw))
    assert main(["run", str(path), "-o", str(tmp_path / "runs")]) == 2
    assert expected in capsys.readouterr().err
    assert not (tmp_path / "runs").exists()
