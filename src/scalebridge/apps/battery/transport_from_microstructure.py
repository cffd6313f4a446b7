r"""Effective electrolyte transport of the cell model from electrode microstructures.

The cell models (:class:`~.dfn.DFN`, ...) scale the bulk electrolyte diffusivity and
conductivity of a region by :math:`\varepsilon^{b}` (parameter keys
``"<Region> porosity"`` and ``"<Region> Bruggeman coefficient (electrolyte)"``):

.. math:: D_\mathrm{eff} = \varepsilon^{b} D_e(c_e, T),\qquad
          \kappa_\mathrm{eff} = \varepsilon^{b} \kappa(c_e, T).

A microstructure gives the same factor from its pore-phase cell problem
(:func:`~.microstructure.effective_transport_model`, an ``upscale`` Model): the
transport efficiency (inverse MacMullin number)

.. math:: K = \frac{D_\mathrm{eff}}{D} = \frac{\kappa_\mathrm{eff}}{\kappa}
          = \frac{\varepsilon}{\tau}

along the through-thickness axis, with :math:`\tau` the tortuosity factor of the image.
:func:`transport_overrides` turns the answer of that Model into parameter overrides:
the porosity of the image and the exponent

.. math:: b = \frac{\ln K}{\ln \varepsilon}\quad\Longleftrightarrow\quad
          \varepsilon^{b} = \frac{\varepsilon}{\tau},

so the cell model applies exactly :math:`\varepsilon/\tau` of the microstructure in place
of Bruggeman's :math:`\varepsilon^{1.5}` (Bruggeman 1935), without any change to the cell
model. The temperature and concentration dependence of :math:`D_e, \kappa` stays that of
the parameter set: :math:`K` is a geometric constant of a linear cell problem.

Scale separation: the homogenization parameter is :math:`\ell/L` with :math:`\ell` the
correlation length of the microstructure (the particle diameter) and :math:`L` the
electrode thickness; for Chen et al. (2020) it is about 0.14 (an electrode seven
particles thick), so the bridge is declared *concurrent* (first-order homogenization
error O(eps), not negligible) and the scale check reads :math:`\ell`, not the size of the
sampled image (which must hold several particles to be representative).

References
----------
Bruggeman, D. A. G. (1935). Ann. Phys. 416, 636-664.
Tjaden, B., Cooper, S. J., Brett, D. J. L., Kramer, D. & Shearing, P. R. (2016).
Curr. Opin. Chem. Eng. 12, 44-51 (tortuosity factor, MacMullin number).
Chen, C.-H. et al. (2020). J. Electrochem. Soc. 167, 080534 (LG M50 electrodes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from ...core.errors import InputError
from ...core.model import Scale
from .microstructure import effective_transport_model, load_electrode_image, sphere_packing

__all__ = ["REGIONS", "MicrostructureTransport", "electrode_image", "microstructure_transport_model",
           "bruggeman_equivalent", "transport_overrides"]

#: Region name of a scenario -> prefix of the parameter keys.
REGIONS = {"negative": "Negative electrode", "separator": "Separator", "positive": "Positive electrode"}


def electrode_image(*, path=None, solid_phase: int = 1, voxels: int | None = None, solid_fraction: float | None = None,
                    sphere_radius: float | None = None, overlapping: bool = True, seed: int = 0) -> np.ndarray:
    """A pore/solid electrode image: loaded from ``path`` (``.npy``) or a generated sphere packing.

    See :func:`~.microstructure.load_electrode_image` and :func:`~.microstructure.sphere_packing`
    (``voxels`` per side, ``solid_fraction``, ``sphere_radius`` in voxels).
    """
    if path is not None:
        return load_electrode_image(path, solid_phase)
    return sphere_packing(voxels, solid_fraction, sphere_radius, overlapping=overlapping, seed=seed)


def microstructure_transport_model(image, *, voxel_size: float, thickness: float, feature_length: float,
                                   axis: int = 0, region: str = "negative"):
    r"""The image of ``region`` as an effective-transport ``Model`` for the cell (``upscale``).

    Wraps :func:`~.microstructure.effective_transport_model` (coarse scale: the region
    ``thickness`` in m) and declares the bridge *concurrent*; the pore cell's scale is
    set to ``feature_length`` (m, the particle diameter or pore size), the microstructural
    length of the homogenization parameter :math:`\ell/L` (see the module docstring).
    """
    if region not in REGIONS:
        raise InputError(f"microstructure: got region {region!r}, expected one of {sorted(REGIONS)}")
    model = effective_transport_model(image, voxel_size=voxel_size, axis=axis, electrode_thickness=thickness,
                                      name=f"{region} microstructure")
    model.coupling = "concurrent"
    model.fine.scale = Scale(feature_length, np.inf, f"{region} pore microstructure")
    model.fine.name = f"{region} pore cell"
    model.card = {
        "role": "bridging law",
        "physics": "effective electrolyte transport of the porous region from its pore-phase cell problem: "
                   "D_eff = D K, kappa_eff = kappa K, K = eps/tau along the through-thickness axis (FFT)",
        "assumptions": ["the image is representative of the region (several particles per side)",
                        "electrolyte-filled pores, insulating solid (contrast 1e-4)",
                        "K independent of c_e and T (geometric constant of a linear cell problem)",
                        "scale separation eps = feature length / thickness ~ 0.1: concurrent regime"],
        "references": ["D. A. G. Bruggeman (1935), Ann. Phys. 416, 636",
                       "B. Tjaden et al. (2016), Curr. Opin. Chem. Eng. 12, 44"],
        "validation": [{"test": "tests/apps/test_battery_microstructure.py",
                        "reference": "Bruggeman tau = eps^-1/2 for dilute random spheres; Hashin-Shtrikman bound",
                        "status": "passing"},
                       {"test": "tests/apps/test_battery_app.py",
                        "reference": "D_eff used by the DFN equals eps/tau x D of the microstructure",
                        "status": "passing"}],
    }
    model.region = region
    model.image_size = float(np.asarray(image).shape[axis] * voxel_size)
    return model


def bruggeman_equivalent(porosity: float, efficiency: float) -> float:
    r"""The exponent :math:`b = \ln K/\ln\varepsilon` with :math:`\varepsilon^b = K` (dimensionless).

    Parameters
    ----------
    porosity : float
        :math:`\varepsilon` in (0, 1).
    efficiency : float
        Transport efficiency :math:`K = \varepsilon/\tau` in (0, 1].
    """
    if not 0.0 < porosity < 1.0:
        raise InputError(f"porosity: got {porosity!r}, expected a pore fraction in (0, 1)")
    if not 0.0 < efficiency <= 1.0:
        raise InputError(f"transport efficiency: got {efficiency!r}, expected eps/tau in (0, 1]")
    return float(np.log(efficiency) / np.log(porosity))


@dataclass(frozen=True)
class MicrostructureTransport:
    """What the microstructure of one region gives the cell model (SI, dimensionless).

    Attributes
    ----------
    region : str
    porosity, tortuosity_factor, efficiency : float
        :math:`\\varepsilon`, :math:`\\tau`, :math:`K = \\varepsilon/\\tau` of the image.
    bruggeman_exponent : float
        :math:`b` with :math:`\\varepsilon^b = K`.
    parameter_set_efficiency : float
        :math:`\\varepsilon_0^{b_0}` of the parameter set it replaces.
    specific_area : float
        Interfacial area of the image in 1/m (reported; the cell keeps :math:`3\\varepsilon_s/R`).
    effective_diffusivity, effective_conductivity : float
        The Model's outputs at the reference state (m^2/s, S/m).
    bulk_diffusivity, bulk_conductivity : float
        The inputs (m^2/s, S/m).
    """

    region: str
    porosity: float
    tortuosity_factor: float
    efficiency: float
    bruggeman_exponent: float
    parameter_set_efficiency: float
    specific_area: float
    effective_diffusivity: float
    effective_conductivity: float
    bulk_diffusivity: float
    bulk_conductivity: float

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _bulk(parameters: Mapping[str, Any], key: str, c_e: float, T: float) -> float:
    f = parameters[key]
    return float(f(np.asarray(c_e), T)) if callable(f) else float(f)


def transport_overrides(parameters: Mapping[str, Any], models: Mapping[str, Any]) -> tuple[dict, dict]:
    r"""Parameter overrides that make the cell model use the microstructures' transport.

    Each Model of ``models`` (region -> :func:`microstructure_transport_model`) is
    evaluated at the bulk :math:`D_e(c_{e,0}, T_\mathrm{ref})`, :math:`\kappa(c_{e,0},
    T_\mathrm{ref})` of the parameter set; from its answer
    :math:`K = D_\mathrm{eff}/D` and :math:`\varepsilon`, the overrides set
    ``"<Region> porosity"`` to :math:`\varepsilon` and the Bruggeman coefficient
    (electrolyte) to :math:`b = \ln K/\ln\varepsilon`.

    Returns
    -------
    overrides : dict
        Parameter key -> value.
    transport : dict
        Region -> :class:`MicrostructureTransport`.

    Raises
    ------
    InputError
        If the image's porosity plus the active material fraction of an electrode
        exceeds 1 (give ``"<Region> active material volume fraction"`` in the overrides).
    """
    c_e = float(parameters["Initial concentration in electrolyte [mol.m-3]"])
    T = float(parameters["Reference temperature [K]"])
    D = _bulk(parameters, "Electrolyte diffusivity [m2.s-1]", c_e, T)
    kappa = _bulk(parameters, "Electrolyte conductivity [S.m-1]", c_e, T)
    overrides, transport = {}, {}
    for region, model in models.items():
        prefix = REGIONS[region]
        ev = model.evaluate({"electrolyte_diffusivity": np.array([D]), "electrolyte_conductivity": np.array([kappa])})
        eps = float(ev["porosity"][0])
        K = float(ev["effective_electrolyte_diffusivity"][0]) / D
        K_kappa = float(ev["effective_electrolyte_conductivity"][0]) / kappa
        if not np.isclose(K, K_kappa, rtol=1e-10):  # one geometry factor for both: a broken Model otherwise
            raise InputError(f"microstructure.{region}: D_eff/D = {K} differs from kappa_eff/kappa = {K_kappa}")
        if region != "separator":
            key = f"{prefix} active material volume fraction"
            eps_s = float(parameters[key])
            if eps + eps_s > 1.0 + 1e-9:
                raise InputError(f"microstructure.{region}: the image's porosity {eps:.4f} plus the parameter "
                                 f"{key!r} = {eps_s:g} exceed 1; lower the active material fraction in "
                                 "parameters.overrides or raise the image's solid fraction")
        b = bruggeman_equivalent(eps, K)
        eps0 = float(parameters[f"{prefix} porosity"])
        b0 = float(parameters[f"{prefix} Bruggeman coefficient (electrolyte)"])
        overrides[f"{prefix} porosity"] = eps
        overrides[f"{prefix} Bruggeman coefficient (electrolyte)"] = b
        transport[region] = MicrostructureTransport(
            region=region, porosity=eps, tortuosity_factor=float(ev["tortuosity_factor"][0]), efficiency=K,
            bruggeman_exponent=b, parameter_set_efficiency=eps0**b0,
            specific_area=float(ev["specific_interfacial_area"][0]),
            effective_diffusivity=float(ev["effective_electrolyte_diffusivity"][0]),
            effective_conductivity=float(ev["effective_electrolyte_conductivity"][0]),
            bulk_diffusivity=D, bulk_conductivity=kappa)
    return overrides, transport
