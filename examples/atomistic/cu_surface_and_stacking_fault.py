"""Cu with ASE's EMT: surface energies, the (111)<112> generalised stacking fault and a vacancy-hop NEB.

Usage: python cu_surface_and_stacking_fault.py OUTPUT_DIR   (writes cu_gsf_neb.png, ~15 s)

Prints gamma_s for (111), (100), (110), gamma_us and gamma_isf (J/m^2), the Cauchy–Born
elastic constants (GPa) and the vacancy migration barrier (eV) with its Arrhenius
hop rate at 600 K for an attempt frequency of 1e13 1/s.
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from ase.calculators.emt import EMT  # noqa: E402

from scalebridge.laws.cauchy_born import elastic_constants, equilibrium_lattice_constant  # noqa: E402
from scalebridge.laws.defects import (generalized_stacking_fault, surface_energy,  # noqa: E402
                                      vacancy_migration_barrier)


def main(out: Path):
    out.mkdir(parents=True, exist_ok=True)
    a = equilibrium_lattice_constant(EMT(), "fcc", 3.6, symbols="Cu")
    print(f"EMT Cu lattice constant a = {a:.4f} Å")
    C = elastic_constants(EMT(), "fcc", a=a, symbols="Cu")
    print(f"Cauchy–Born C11, C12, C44 = {C.C11 / 1e9:.1f}, {C.C12 / 1e9:.1f}, {C.C44 / 1e9:.1f} GPa")
    for s in ("111", "100", "110"):
        print(f"gamma_s({s}) = {surface_energy(EMT(), a, s, symbols='Cu').gamma:.3f} J/m^2")
    gsf = generalized_stacking_fault(EMT(), a, symbols="Cu", fractions=np.linspace(0, 1, 13))
    print(f"gamma_us = {gsf.gamma_us * 1e3:.1f} mJ/m^2 at u = {gsf.u_us / gsf.partial_burgers:.3f} b_p, "
          f"gamma_isf = {gsf.gamma_isf * 1e3:.1f} mJ/m^2")
    hop = vacancy_migration_barrier(EMT(), a, symbols="Cu", n_images=5)
    print(f"vacancy migration barrier = {hop.barrier_eV:.3f} eV, hop rate at 600 K = "
          f"{hop.rate_constant(1e13, 600.0):.3g} 1/s")

    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6))
    left.plot(gsf.fraction, gsf.energy * 1e3, "o-", color="C0")
    left.plot(gsf.u_us / gsf.partial_burgers, gsf.gamma_us * 1e3, "*", ms=12, color="C3", label=r"$\gamma_{us}$")
    left.set(xlabel=r"shift $u / b_p$ along $\langle 112\rangle$", ylabel=r"$\gamma$ (mJ/m$^2$)",
             title="Cu (111) generalised stacking fault (EMT)")
    left.legend()
    neb = hop.neb
    right.plot(neb.path, neb.energies - neb.energies[0], "s-", color="C1")
    right.set(xlabel="reaction coordinate (Å)", ylabel="energy (eV)",
              title=f"vacancy hop, CI-NEB: {hop.barrier_eV:.3f} eV")
    fig.tight_layout()
    fig.savefig(out / "cu_gsf_neb.png", dpi=120)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "."))
