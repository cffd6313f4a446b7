r"""Bridging laws of atoms-to-continuum mechanics: fracture, plasticity, 2-D lattices.

An atomistic calculation gives a handful of numbers (a surface energy, an unstable
stacking energy, elastic constants, a Burgers vector, bond stiffnesses); these laws
turn them into what a continuum model needs: a fracture toughness, the
ductile-versus-brittle verdict of a crack tip, a flow stress, a size-dependent
hardness, the elastic moduli of a lattice.

Every function accepts pint quantities, strings such as ``"1.2 J/m^2"`` or plain SI
numbers (arrays broadcast), and refuses bad input with an
:class:`~scalebridge.core.errors.InputError` naming the argument.

References
----------
.. [Griffith1921] A. A. Griffith, Phil. Trans. R. Soc. Lond. A 221, 163 (1921).
.. [SPI1965] G. C. Sih, P. C. Paris, G. R. Irwin, "On cracks in rectilinearly anisotropic
   bodies", Int. J. Fract. Mech. 1, 189 (1965).
.. [Ting1996] T. C. T. Ting, *Anisotropic Elasticity*, Oxford University Press (1996),
   ch. 5 (Stroh formalism) and ch. 11 (cracks: G = k^T L^{-1} k / 2).
.. [Rice1992] J. R. Rice, "Dislocation nucleation from a crack tip: an analysis based on
   the Peierls concept", J. Mech. Phys. Solids 40, 239 (1992).
.. [RiceThomson1974] J. R. Rice, R. Thomson, Phil. Mag. 29, 73 (1974).
.. [HirthLothe1982] J. P. Hirth, J. Lothe, *Theory of Dislocations*, 2nd ed., Wiley (1982).
.. [BKS1973] D. J. Bacon, U. F. Kocks, R. O. Scattergood, Phil. Mag. 28, 1241 (1973).
.. [Taylor1934] G. I. Taylor, Proc. R. Soc. Lond. A 145, 362 (1934).
.. [NixGao1998] W. D. Nix, H. Gao, "Indentation size effects in crystalline materials:
   a law for strain gradient plasticity", J. Mech. Phys. Solids 46, 411 (1998).
.. [ChangGao2003] T. Chang, H. Gao, "Size-dependent elastic properties of a single-walled
   carbon nanotube via a molecular mechanics model", J. Mech. Phys. Solids 51, 1059 (2003).
.. [TadmorMiller2011] E. B. Tadmor, R. E. Miller, *Modeling Materials*, Cambridge
   University Press (2011), ch. 11 (Cauchy–Born rule, multilattices).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.errors import ConvergenceError, InputError
from . import arguments
from .arguments import scalar_or_array

__all__ = ["griffith_energy_release_rate", "griffith_toughness", "plane_modulus",
           "cubic_stiffness", "rotate_stiffness", "crack_compliance_sih_paris_irwin",
           "crack_compliance_stroh", "anisotropic_griffith_toughness",
           "resolved_shear_factor", "rice_emission_toughness", "DuctileBrittle", "ductile_brittle",
           "taylor_stress", "taylor_density", "orowan_stress",
           "nix_gao_gnd_density", "nix_gao_characteristic_depth", "nix_gao_hardness",
           "honeycomb_moduli", "honeycomb_cauchy_born", "honeycomb_moduli_cauchy_born"]


def _poisson(value: Any, what: str = "poisson_ratio") -> Any:
    return arguments.si_value(value, "", what, "a Poisson ratio in (-1, 0.5]",
                              lambda a: (a <= -1) | (a > 0.5))


def _angle(value: Any, what: str, low: float, high: float, text: str) -> Any:
    return arguments.si_value(value, "rad", what, text, lambda a: (a <= low) | (a >= high))


# --------------------------------------------------------------------------- Griffith
def griffith_energy_release_rate(surface_energy: Any) -> Any:
    r"""Critical energy release rate of ideal brittle cleavage, :math:`G_c = 2\gamma_s` (J/m²).

    Two free surfaces of energy :math:`\gamma_s` (J/m²) are created per unit crack
    advance [Griffith1921]_.
    """
    return scalar_or_array(2.0 * np.asarray(arguments.positive(surface_energy, "J/m^2", "surface_energy",
                                                               kind="surface energy"), dtype=float))


def plane_modulus(youngs_modulus: Any, poisson_ratio: Any = 0.0, plane: str = "strain") -> Any:
    r"""E' = E/(1-ν²) in plane strain, E in plane stress (Pa)."""
    E = np.asarray(arguments.positive(youngs_modulus, "Pa", "youngs_modulus", kind="modulus"), dtype=float)
    nu = np.asarray(_poisson(poisson_ratio), dtype=float)
    if plane not in ("strain", "stress"):
        raise InputError(f"plane: got {plane!r}, expected 'strain' or 'stress'")
    return scalar_or_array(E / (1.0 - nu**2) if plane == "strain" else E + 0.0 * nu)


def griffith_toughness(surface_energy: Any, youngs_modulus: Any, poisson_ratio: Any = 0.0,
                       plane: str = "strain") -> Any:
    r"""Griffith fracture toughness of an isotropic solid, in Pa·m^{1/2}.

    .. math:: K_{Ic} = \sqrt{G_c E'} = \sqrt{2\gamma_s E'},\qquad
              E' = \frac{E}{1-\nu^2}\ \text{(plane strain)},\ E'=E\ \text{(plane stress)}

    (Irwin's relation G = K²/E' with [Griffith1921]_'s G_c = 2γ_s.)

    Parameters
    ----------
    surface_energy : float or quantity
        γ_s, J/m², > 0.
    youngs_modulus : float or quantity
        E, Pa, > 0.
    poisson_ratio : float
        ν in (-1, 0.5].
    plane : {"strain", "stress"}
    """
    return scalar_or_array(np.sqrt(griffith_energy_release_rate(surface_energy)
                                   * np.asarray(plane_modulus(youngs_modulus, poisson_ratio, plane))))


def cubic_stiffness(c11: Any, c12: Any, c44: Any) -> np.ndarray:
    """6x6 Voigt stiffness (Pa) of a cubic crystal in its cube axes; InputError if not positive definite."""
    c11, c12, c44 = (float(arguments.si_value(v, "Pa", w)) for v, w in ((c11, "c11"), (c12, "c12"), (c44, "c44")))
    if not (c44 > 0 and c11 > abs(c12) and c11 + 2 * c12 > 0):
        raise InputError(f"cubic elastic constants: got c11={c11:g}, c12={c12:g}, c44={c44:g} Pa, expected "
                         "c44 > 0, c11 > |c12|, c11 + 2 c12 > 0 (Born stability)")
    C = np.zeros((6, 6))
    C[:3, :3] = c12
    C[range(3), range(3)] = c11
    C[range(3, 6), range(3, 6)] = c44
    return C


_VOIGT = np.array([[0, 5, 4], [5, 1, 3], [4, 3, 2]])


def _tensor(C6: np.ndarray) -> np.ndarray:
    return C6[_VOIGT[:, :, None, None], _VOIGT[None, None, :, :]]


def _voigt(C: np.ndarray) -> np.ndarray:
    i = np.array([0, 1, 2, 1, 0, 0])
    j = np.array([0, 1, 2, 2, 2, 1])
    return C[i[:, None], j[:, None], i[None, :], j[None, :]]


def _stiffness(stiffness: Any) -> np.ndarray:
    C6 = np.asarray(arguments.si_value(stiffness, "Pa", "stiffness"), dtype=float)
    if C6.shape != (6, 6) or not np.allclose(C6, C6.T, rtol=1e-10, atol=0):
        raise InputError(f"stiffness: got shape {C6.shape}, expected a symmetric 6x6 Voigt matrix in Pa")
    if np.linalg.eigvalsh(C6).min() <= 0:
        raise InputError("stiffness: expected a positive definite 6x6 Voigt matrix (a stable crystal)")
    return C6


def rotate_stiffness(stiffness: Any, rotation: Any) -> np.ndarray:
    r"""Voigt stiffness in a rotated frame: :math:`C'_{ijkl} = R_{ip}R_{jq}R_{kr}R_{ls}C_{pqrs}`.

    Parameters
    ----------
    stiffness : (6, 6) array, Pa
    rotation : (3, 3) array
        Rows are the new axes in the old (crystal) frame; need not be normalised, must be orthogonal.
        For a crack: row 0 the propagation direction, row 1 the crack-plane normal, row 2 the front.
    """
    C6 = _stiffness(stiffness)
    R = np.asarray(rotation, dtype=float)
    if R.shape != (3, 3) or not np.all(np.isfinite(R)):
        raise InputError(f"rotation: got shape {R.shape}, expected a finite 3x3 matrix (rows = new axes)")
    R = R / np.linalg.norm(R, axis=1, keepdims=True)
    if not np.allclose(R @ R.T, np.eye(3), atol=1e-10):
        raise InputError("rotation: rows are not mutually orthogonal directions")
    return _voigt(np.einsum("ip,jq,kr,ls,pqrs->ijkl", R, R, R, R, _tensor(C6)))


def _crack_frame(stiffness: Any, crack_frame: Any) -> np.ndarray:
    return _stiffness(stiffness) if crack_frame is None else rotate_stiffness(stiffness, crack_frame)


def crack_compliance_sih_paris_irwin(stiffness: Any, crack_frame: Any = None) -> float:
    r"""Mode-I crack compliance c_I (1/Pa), G = c_I K_I², of a crack on a symmetry plane.

    Sih, Paris & Irwin [SPI1965]_ for rectilinear anisotropy (crack plane x2 = 0 and
    the x1-x3 planes being planes of material symmetry), plane strain:

    .. math:: c_I = \sqrt{\frac{b_{11}b_{22}}{2}}\left[\sqrt{\frac{b_{22}}{b_{11}}}
              + \frac{2b_{12}+b_{66}}{2b_{11}}\right]^{1/2},\qquad
              b_{ij} = s_{ij} - \frac{s_{i3}s_{j3}}{s_{33}},

    with :math:`s` the Voigt compliance in the crack frame. Isotropic:
    :math:`c_I = (1-\nu^2)/E`.

    Parameters
    ----------
    stiffness : (6, 6) array
        Voigt stiffness, Pa.
    crack_frame : (3, 3) array, optional
        Rows: propagation direction x1, crack-plane normal x2, crack front x3 in the
        stiffness's frame (default: the stiffness's own axes).
    """
    C = _crack_frame(stiffness, crack_frame)
    s = np.linalg.inv(C)
    coupled = np.abs(s[[0, 1, 5], :][:, [3, 4]]).max() + abs(s[5, 0]) + abs(s[5, 1])
    if coupled > 1e-8 * np.abs(s).max():
        raise InputError("crack_frame: the crack plane and the x1-x3 plane are not planes of symmetry "
                         "(s16, s26, s14, ... nonzero); use crack_compliance_stroh")
    b = s - np.outer(s[:, 2], s[:, 2]) / s[2, 2]
    b11, b22, b12, b66 = b[0, 0], b[1, 1], b[0, 1], b[5, 5]
    return float(np.sqrt(b11 * b22 / 2) * np.sqrt(np.sqrt(b22 / b11) + (2 * b12 + b66) / (2 * b11)))


def crack_compliance_stroh(stiffness: Any, crack_frame: Any = None) -> np.ndarray:
    r"""Energy-release matrix Λ (1/Pa) of a straight crack in an anisotropic crystal, G = kᵀΛk.

    Stroh formalism [Ting1996]_: with :math:`Q_{ik}=C_{i1k1}`, :math:`R_{ik}=C_{i1k2}`,
    :math:`T_{ik}=C_{i2k2}`, the eigenvectors :math:`(\mathbf a,\mathbf b)` of

    .. math:: N = \begin{bmatrix}-T^{-1}R^T & T^{-1}\\ RT^{-1}R^T-Q & -RT^{-1}\end{bmatrix}

    with Im p > 0, normalised :math:`2\mathbf a\cdot\mathbf b = 1`, give the real
    Barnett–Lothe tensor :math:`L = -2i\,BB^T`, and

    .. math:: G = \tfrac12\,\mathbf k^T L^{-1}\mathbf k,\qquad \mathbf k = (K_{II}, K_I, K_{III}),

    so :math:`\Lambda = L^{-1}/2` (isotropic: diag((1-ν)/2μ, (1-ν)/2μ, 1/2μ)).
    Valid for any orientation; the mode-I compliance is ``Λ[1, 1]``. The
    eigenvalues must be distinct (exact isotropy is degenerate: use the isotropic
    formulas).

    Parameters
    ----------
    stiffness, crack_frame
        As for :func:`crack_compliance_sih_paris_irwin`.
    """
    C = _tensor(_crack_frame(stiffness, crack_frame))
    Q, R, T = C[:, 0, :, 0], C[:, 0, :, 1], C[:, 1, :, 1]
    Ti = np.linalg.inv(T)
    N = np.block([[-Ti @ R.T, Ti], [R @ Ti @ R.T - Q, -R @ Ti]])
    p, xi = np.linalg.eig(N)
    upper = p.imag > 0
    p, xi = p[upper], xi[:, upper]
    if p.size != 3 or np.min(np.abs(p[:, None] - p[None, :]) + np.eye(3)) < 1e-6:
        raise InputError("stiffness: Stroh eigenvalues are repeated (isotropic or nearly so); use "
                         "crack_compliance_sih_paris_irwin or the isotropic formulas")
    a, b = xi[:3], xi[3:]
    b = b / np.sqrt(2 * np.sum(a * b, axis=0))
    L = -2j * b @ b.T
    if np.abs(L.imag).max() > 1e-8 * np.abs(L.real).max():
        raise ConvergenceError("crack_compliance_stroh: Barnett-Lothe tensor L is not real; eigenvectors inaccurate")
    return 0.5 * np.linalg.inv(L.real)


def anisotropic_griffith_toughness(surface_energy: Any, stiffness: Any, crack_frame: Any = None,
                                   method: str = "stroh") -> float:
    r"""Griffith K_Ic (Pa·m^{1/2}) of a crack in an anisotropic crystal: :math:`K_{Ic} = \sqrt{2\gamma_s / c_I}`.

    :math:`c_I` is the mode-I crack compliance, ``Λ[1, 1]`` of
    :func:`crack_compliance_stroh` (``method="stroh"``, any orientation) or
    :func:`crack_compliance_sih_paris_irwin` (``method="sih_paris_irwin"``,
    crack on a symmetry plane). γ_s in J/m² is the energy of the cleavage surface.
    """
    if method == "stroh":
        c_I = crack_compliance_stroh(stiffness, crack_frame)[1, 1]
    elif method == "sih_paris_irwin":
        c_I = crack_compliance_sih_paris_irwin(stiffness, crack_frame)
    else:
        raise InputError(f"method: got {method!r}, expected 'stroh' or 'sih_paris_irwin'")
    return scalar_or_array(np.sqrt(griffith_energy_release_rate(surface_energy) / c_I))


# --------------------------------------------------------------------------- Rice emission
def resolved_shear_factor(slip_angle: Any) -> Any:
    r"""Mode-I shear stress resolved on a slip plane at angle θ to the crack plane, :math:`F_{12}(\theta)`.

    .. math:: \tau_{r\theta} = \frac{K_I}{\sqrt{2\pi r}}\,\cos^2\frac{\theta}{2}\sin\frac{\theta}{2},

    so the effective slip-plane mode-II intensity is :math:`K_{II}^{eff} = F_{12}K_I`,
    :math:`F_{12}=\cos^2(\theta/2)\sin(\theta/2)` ([Rice1992]_ sec. 5; maximal,
    :math:`2/(3\sqrt3)`, at :math:`\cos\theta = 1/3`, θ ≈ 70.5°). θ in rad.
    """
    th = np.asarray(_angle(slip_angle, "slip_angle", 0.0, np.pi, "a slip-plane angle in (0, pi) rad"), dtype=float)
    return scalar_or_array(np.cos(th / 2) ** 2 * np.sin(th / 2))


def rice_emission_toughness(unstable_stacking_energy: Any, shear_modulus: Any, poisson_ratio: Any,
                            slip_angle: Any, tilt_angle: Any = 0.0) -> Any:
    r"""Mode-I stress intensity for dislocation emission from a crack tip, K_Ie (Pa·m^{1/2}).

    Rice's Peierls-concept criterion [Rice1992]_: emission on a slip plane at angle θ
    to the crack plane, containing the crack front, with the Burgers vector tilted by φ
    from the normal to the front (within the slip plane), when

    .. math:: K_{Ie} = \frac{1}{F_{12}(\theta)}\sqrt{\frac{2\mu\gamma_{us}}{1-\nu}
              \left[1+(1-\nu)\tan^2\varphi\right]},\qquad
              F_{12} = \cos^2\frac{\theta}{2}\sin\frac{\theta}{2}.

    For θ = 0 and φ = 0 the exact result is :math:`K_{IIe} = \sqrt{2\mu\gamma_{us}/(1-\nu)}`;
    for inclined planes Rice's approximation neglects the tension-shear coupling on
    the slip plane. This replaces the older core-cutoff criterion of [RiceThomson1974]_.

    Parameters
    ----------
    unstable_stacking_energy : float or quantity
        γ_us, J/m², > 0.
    shear_modulus : float or quantity
        μ, Pa, > 0 (isotropic, or the slip-plane average).
    poisson_ratio : float
        ν in (-1, 0.5].
    slip_angle : float or quantity
        θ in rad, in (0, π).
    tilt_angle : float or quantity
        φ in rad, in (-π/2, π/2).
    """
    g = np.asarray(arguments.positive(unstable_stacking_energy, "J/m^2", "unstable_stacking_energy",
                                      kind="unstable stacking energy"), dtype=float)
    mu = np.asarray(arguments.positive(shear_modulus, "Pa", "shear_modulus", kind="modulus"), dtype=float)
    nu = np.asarray(_poisson(poisson_ratio), dtype=float)
    phi = np.asarray(_angle(tilt_angle, "tilt_angle", -np.pi / 2, np.pi / 2, "a tilt angle in (-pi/2, pi/2) rad"),
                     dtype=float)
    f = np.asarray(resolved_shear_factor(slip_angle))
    return scalar_or_array(np.sqrt(2 * mu * g / (1 - nu) * (1 + (1 - nu) * np.tan(phi) ** 2)) / f)


@dataclass(frozen=True)
class DuctileBrittle:
    """Rice's ductile-versus-brittle verdict of a crack tip ([Rice1992]_ sec. 7)."""

    ratio: Any            #: K_Ie / K_Ic
    verdict: Any          #: "brittle" (cleavage first, ratio > 1) or "ductile" (emission first)
    emission_toughness: Any   #: K_Ie, Pa m^1/2
    cleavage_toughness: Any   #: K_Ic, Pa m^1/2


def ductile_brittle(emission_toughness: Any, cleavage_toughness: Any) -> DuctileBrittle:
    r"""Competition of cleavage and dislocation emission at a loaded crack tip.

    Under rising K_I the tip cleaves first if :math:`K_{Ie}/K_{Ic} > 1` (intrinsically
    brittle) and emits a dislocation first if :math:`K_{Ie}/K_{Ic} < 1` (ductile)
    [Rice1992]_; both in Pa·m^{1/2}.
    """
    ke = np.asarray(arguments.positive(emission_toughness, "Pa*m^0.5", "emission_toughness",
                                       kind="stress intensity"), dtype=float)
    kc = np.asarray(arguments.positive(cleavage_toughness, "Pa*m^0.5", "cleavage_toughness",
                                       kind="stress intensity"), dtype=float)
    r = ke / kc
    verdict = np.where(r > 1, "brittle", "ductile")
    return DuctileBrittle(scalar_or_array(r), verdict.item() if verdict.ndim == 0 else verdict,
                          scalar_or_array(ke), scalar_or_array(kc))


# --------------------------------------------------------------------------- dislocation strengthening
def _mu_b(shear_modulus: Any, burgers: Any):
    mu = np.asarray(arguments.positive(shear_modulus, "Pa", "shear_modulus", kind="modulus"), dtype=float)
    b = np.asarray(arguments.positive(burgers, "m", "burgers", kind="Burgers vector length"), dtype=float)
    return mu, b


def taylor_stress(dislocation_density: Any, shear_modulus: Any, burgers: Any, alpha: Any = 0.3) -> Any:
    r"""Taylor forest hardening, :math:`\tau = \alpha\mu b\sqrt{\rho}` (Pa) [Taylor1934]_.

    ρ in 1/m² (>= 0), μ in Pa, b in m, α (dimensionless, typically 0.2–0.5;
    [HirthLothe1982]_ ch. 20). Multiply by a Taylor factor M ≈ 3.06 (fcc) for a
    polycrystal's tensile flow stress.
    """
    rho = np.asarray(arguments.positive(dislocation_density, "1/m^2", "dislocation_density", allow_zero=True,
                                        kind="dislocation density"), dtype=float)
    mu, b = _mu_b(shear_modulus, burgers)
    a = np.asarray(arguments.positive(alpha, "", "alpha", kind="Taylor coefficient"), dtype=float)
    return scalar_or_array(a * mu * b * np.sqrt(rho))


def taylor_density(shear_stress: Any, shear_modulus: Any, burgers: Any, alpha: Any = 0.3) -> Any:
    r"""Inverse of :func:`taylor_stress`: :math:`\rho = (\tau/\alpha\mu b)^2` (1/m²)."""
    tau = np.asarray(arguments.positive(shear_stress, "Pa", "shear_stress", allow_zero=True,
                                        kind="shear stress"), dtype=float)
    mu, b = _mu_b(shear_modulus, burgers)
    a = np.asarray(arguments.positive(alpha, "", "alpha", kind="Taylor coefficient"), dtype=float)
    return scalar_or_array((tau / (a * mu * b)) ** 2)


def orowan_stress(spacing: Any, shear_modulus: Any, burgers: Any, obstacle_diameter: Any = None,
                  poisson_ratio: Any = 1 / 3, core_radius: Any = None) -> Any:
    r"""Orowan bypass stress of impenetrable obstacles (Pa).

    Without ``obstacle_diameter``: the line-tension estimate :math:`\Delta\tau = \mu b/L`
    (Orowan 1948; [HirthLothe1982]_ sec. 20-3). With it, the logarithmic form of
    Bacon, Kocks & Scattergood [BKS1973]_, geometric mean of the edge and screw line
    tensions:

    .. math:: \Delta\tau = \frac{\mu b}{2\pi\sqrt{1-\nu}\,L}\,\ln\frac{\bar D}{r_0},\qquad
              \bar D = \left(\frac1D + \frac1L\right)^{-1},

    with L the obstacle spacing (surface to surface), D the obstacle diameter and
    r_0 the core cut-off (default b). All lengths in m, μ in Pa.
    """
    L = np.asarray(arguments.positive(spacing, "m", "spacing", kind="obstacle spacing"), dtype=float)
    mu, b = _mu_b(shear_modulus, burgers)
    if obstacle_diameter is None:
        return scalar_or_array(mu * b / L)
    D = np.asarray(arguments.positive(obstacle_diameter, "m", "obstacle_diameter", kind="diameter"), dtype=float)
    nu = np.asarray(_poisson(poisson_ratio), dtype=float)
    r0 = b if core_radius is None else np.asarray(arguments.positive(core_radius, "m", "core_radius",
                                                                     kind="core radius"), dtype=float)
    Dbar = 1.0 / (1.0 / D + 1.0 / L)
    if np.any(Dbar <= r0):
        raise InputError(f"obstacle_diameter/spacing: harmonic mean {np.min(Dbar):g} m <= core radius; expected "
                         "obstacles and spacings larger than the dislocation core")
    return scalar_or_array(mu * b / (2 * np.pi * np.sqrt(1 - nu) * L) * np.log(Dbar / r0))


# --------------------------------------------------------------------------- Nix-Gao
def _tan_cone(indenter_angle: Any) -> Any:
    th = np.asarray(_angle(indenter_angle, "indenter_angle", 0.0, np.pi / 2,
                           "an angle between indenter face and surface in (0, pi/2) rad"), dtype=float)
    return np.tan(th)


def nix_gao_gnd_density(depth: Any, burgers: Any, indenter_angle: Any) -> Any:
    r"""Geometrically necessary dislocation density under a conical indenter (1/m²).

    .. math:: \rho_G = \frac{3}{2}\,\frac{\tan^2\theta}{b\,h}

    [NixGao1998]_ eq. (6): the GNDs that accommodate the impression of depth h (m),
    stored in a hemisphere of radius a = h/tanθ; θ the angle between the indenter
    face and the surface (19.7° for a Berkovich-equivalent cone), b in m.
    """
    h = np.asarray(arguments.positive(depth, "m", "depth", kind="indentation depth"), dtype=float)
    b = np.asarray(arguments.positive(burgers, "m", "burgers", kind="Burgers vector length"), dtype=float)
    return scalar_or_array(1.5 * _tan_cone(indenter_angle) ** 2 / (b * h))


def nix_gao_characteristic_depth(macro_hardness: Any, shear_modulus: Any, burgers: Any,
                                 indenter_angle: Any, alpha: Any = 0.5) -> Any:
    r"""Nix–Gao characteristic depth h* (m).

    .. math:: h^* = \frac{81}{2}\,b\,\alpha^2\tan^2\theta\left(\frac{\mu}{H_0}\right)^2

    [NixGao1998]_ eq. (11), from Taylor hardening :math:`\tau = \alpha\mu b\sqrt{\rho_S+\rho_G}`,
    von Mises :math:`\sigma = \sqrt3\tau` and Tabor :math:`H = 3\sigma`. H_0 in Pa is the
    hardness without GNDs (large depths).
    """
    H0 = np.asarray(arguments.positive(macro_hardness, "Pa", "macro_hardness", kind="hardness"), dtype=float)
    mu, b = _mu_b(shear_modulus, burgers)
    a = np.asarray(arguments.positive(alpha, "", "alpha", kind="Taylor coefficient"), dtype=float)
    return scalar_or_array(40.5 * b * a**2 * _tan_cone(indenter_angle) ** 2 * (mu / H0) ** 2)


def nix_gao_hardness(depth: Any, macro_hardness: Any, characteristic_depth: Any) -> Any:
    r"""Indentation size effect, :math:`H = H_0\sqrt{1 + h^*/h}` (Pa) [NixGao1998]_ eq. (10).

    H² is linear in 1/h with intercept H_0² and slope H_0² h*. Depths in m.
    """
    h = np.asarray(arguments.positive(depth, "m", "depth", kind="indentation depth"), dtype=float)
    H0 = np.asarray(arguments.positive(macro_hardness, "Pa", "macro_hardness", kind="hardness"), dtype=float)
    hs = np.asarray(arguments.positive(characteristic_depth, "m", "characteristic_depth", allow_zero=True,
                                       kind="length"), dtype=float)
    return scalar_or_array(H0 * np.sqrt(1 + hs / h))


# --------------------------------------------------------------------------- honeycomb lattice
def _honeycomb_args(bond_stiffness, angle_stiffness, bond_length):
    kr = float(arguments.positive(bond_stiffness, "N/m", "bond_stiffness", kind="spring constant"))
    kt = float(arguments.positive(angle_stiffness, "J", "angle_stiffness", kind="angle-spring constant (J/rad^2)"))
    a = float(arguments.positive(bond_length, "m", "bond_length", kind="bond length"))
    return kr, kt, a


def honeycomb_moduli(bond_stiffness: Any, angle_stiffness: Any, bond_length: Any) -> dict:
    r"""In-plane elastic constants of a honeycomb (graphene-like) spring lattice, closed form.

    Energy per two-atom cell, bond stretch and bond-angle bending (every one of the
    six angles of a cell, equilibrium 2π/3):

    .. math:: E_{cell} = \sum_{3\ bonds}\tfrac12 k_r(r-a)^2 + \sum_{6\ angles}\tfrac12 k_\theta(\theta-2\pi/3)^2.

    Linearising the Cauchy–Born energy with the inner shift of the second
    sublattice eliminated (our derivation, verified by :func:`honeycomb_moduli_cauchy_born`;
    cell area :math:`3\sqrt3a^2/2`):

    .. math::
        C_{11} = \frac{\sqrt3 k_r}{6}\frac{k_ra^2+18k_\theta}{k_ra^2+6k_\theta},\quad
        C_{12} = \frac{\sqrt3 k_r}{6}\frac{k_ra^2-6k_\theta}{k_ra^2+6k_\theta},\quad
        \mu = \frac{2\sqrt3 k_r k_\theta}{k_ra^2+6k_\theta},

    .. math:: E_{2D} = \frac{8\sqrt3\,k_rk_\theta}{k_ra^2+18k_\theta},\qquad
              \nu = \frac{k_ra^2-6k_\theta}{k_ra^2+18k_\theta}.

    With C = 6 k_θ this is the form :math:`\nu = (k_ra^2 - C)/(k_ra^2+3C)` of the
    molecular-mechanics model of [ChangGao2003]_. Isotropic (hexagonal symmetry);
    limits ν → 1 (k_θ → 0, bending-dominated) and ν → −1/3 (k_θ → ∞).

    Parameters
    ----------
    bond_stiffness : k_r, N/m.   angle_stiffness : k_θ, J (per rad²).   bond_length : a, m.

    Returns
    -------
    dict
        ``youngs_modulus`` and ``shear_modulus``, ``C11``, ``C12`` (2-D, N/m), ``poisson_ratio``.
    """
    kr, kt, a = _honeycomb_args(bond_stiffness, angle_stiffness, bond_length)
    x = kr * a**2
    return {"C11": np.sqrt(3) * kr / 6 * (x + 18 * kt) / (x + 6 * kt),
            "C12": np.sqrt(3) * kr / 6 * (x - 6 * kt) / (x + 6 * kt),
            "shear_modulus": 2 * np.sqrt(3) * kr * kt / (x + 6 * kt),
            "youngs_modulus": 8 * np.sqrt(3) * kr * kt / (x + 18 * kt),
            "poisson_ratio": (x - 6 * kt) / (x + 18 * kt)}


#: unit bond directions from a sublattice-A atom to its three B neighbours (reference, |n| = 1)
_HONEYCOMB_BONDS = np.array([[np.cos(t), np.sin(t)] for t in np.pi / 2 + 2 * np.pi * np.arange(3) / 3])
_PAIRS = np.array([[0, 1], [1, 2], [2, 0]])


def _honeycomb_energy_gradient(F, eta, ratio):
    """Cell energy /(k_r a^2) and its gradient in eta (units of a), batched; ratio = k_theta/(k_r a^2)."""
    r = np.einsum("bij,nj->bni", F, _HONEYCOMB_BONDS) + eta[:, None, :]      # (B, 3, 2)
    d = np.linalg.norm(r, axis=-1)                                           # (B, 3)
    u = r / d[..., None]
    ui, uj = u[:, _PAIRS[:, 0]], u[:, _PAIRS[:, 1]]
    c = np.clip(np.sum(ui * uj, axis=-1), -1.0, 1.0)
    theta = np.arccos(c)
    dth = theta - 2 * np.pi / 3
    energy = 0.5 * np.sum((d - 1) ** 2, axis=1) + ratio * np.sum(dth**2, axis=1)   # 6 angles = 2 x 3 pairs
    grad = np.sum((d - 1)[..., None] * u, axis=1)
    s = np.sqrt(np.maximum(1 - c**2, 1e-300))
    # d theta / d r_i = -(u_j - c u_i) / (|r_i| s); d r_i / d eta = I for every bond
    dti = -(uj - c[..., None] * ui) / (d[:, _PAIRS[:, 0]] * s)[..., None]
    dtj = -(ui - c[..., None] * uj) / (d[:, _PAIRS[:, 1]] * s)[..., None]
    grad = grad + 2 * ratio * np.sum(dth[..., None] * (dti + dtj), axis=1)
    return energy, grad


def honeycomb_cauchy_born(deformation_gradient: Any, bond_stiffness: Any, angle_stiffness: Any,
                          bond_length: Any, tol: float = 1e-13, max_iter: int = 50):
    r"""Cauchy–Born energy density of the honeycomb spring lattice with inner relaxation, batched.

    For each in-plane deformation gradient F the sublattice-B atoms shift by η
    relative to the affine position, and (Tadmor & Miller 2011, sec. 11.2.4, multilattices)

    .. math:: W(F) = \frac{1}{\Omega_0}\min_{\eta} E_{cell}(F, \eta),\qquad
              \mathbf r_i = F\,a\,\mathbf n_i + \eta,\quad \Omega_0 = \tfrac{3\sqrt3}{2}a^2,

    with :math:`E_{cell}` as in :func:`honeycomb_moduli` (nonlinear: bond lengths and
    angles from the actual vectors). The minimisation is a Newton iteration on η
    for all F at once (analytic gradient, Hessian by central differences of it).

    Parameters
    ----------
    deformation_gradient : array_like, shape (2, 2) or (B, 2, 2)
        F (dimensionless), det F > 0.
    bond_stiffness, angle_stiffness, bond_length
        k_r (N/m), k_θ (J), a (m).

    Returns
    -------
    energy_density : float or ndarray (B,)
        W in J/m² (per reference area).
    inner_shift : ndarray (2,) or (B, 2)
        η in m.

    Raises
    ------
    ConvergenceError
        If Newton does not reach |∇E| < tol·k_r a² in ``max_iter`` iterations.
    """
    kr, kt, a = _honeycomb_args(bond_stiffness, angle_stiffness, bond_length)
    F = np.asarray(deformation_gradient, dtype=float)
    single = F.ndim == 2
    F = F.reshape(-1, 2, 2) if F.shape[-2:] == (2, 2) else None
    if F is None or not np.all(np.isfinite(F)) or np.any(np.linalg.det(F) <= 0):
        raise InputError("deformation_gradient: expected finite 2x2 matrices (shape (2, 2) or (B, 2, 2)) "
                         "with det F > 0")
    ratio = kt / (kr * a**2)
    eta = np.zeros((F.shape[0], 2))
    h = 1e-6
    for _ in range(max_iter):
        energy, g = _honeycomb_energy_gradient(F, eta, ratio)
        if np.max(np.abs(g)) < tol:
            break
        H = np.stack([(_honeycomb_energy_gradient(F, eta + h * e, ratio)[1]
                       - _honeycomb_energy_gradient(F, eta - h * e, ratio)[1]) / (2 * h) for e in np.eye(2)], axis=-1)
        H = 0.5 * (H + np.swapaxes(H, 1, 2))
        eta = eta - np.linalg.solve(H, g[..., None])[..., 0]
    else:
        raise ConvergenceError(f"honeycomb_cauchy_born: inner relaxation not converged in {max_iter} Newton "
                               f"iterations (max |grad| = {np.max(np.abs(g)):.2e} k_r a)")
    W = energy * kr * a**2 / (1.5 * np.sqrt(3) * a**2)
    return (float(W[0]), eta[0] * a) if single else (W, eta * a)


def honeycomb_moduli_cauchy_born(bond_stiffness: Any, angle_stiffness: Any, bond_length: Any,
                                 strain_step: float = 1e-4) -> dict:
    r"""The constants of :func:`honeycomb_moduli`, numerically from :func:`honeycomb_cauchy_born`.

    Central second differences of the relaxed energy density W(ε) at ε = 0 (step
    ``strain_step``): :math:`C_{11} = \partial^2W/\partial\varepsilon_{11}^2`,
    :math:`C_{12} = \partial^2W/\partial\varepsilon_{11}\partial\varepsilon_{22}`,
    :math:`\mu = \tfrac14\partial^2W/\partial\varepsilon_{12}^2` (tensor shear strain,
    symmetric F = I + ε); then :math:`E_{2D} = (C_{11}^2-C_{12}^2)/C_{11}`,
    :math:`\nu = C_{12}/C_{11}`. Same keys as :func:`honeycomb_moduli`.
    """
    d = float(strain_step)
    if not 0 < d < 1e-2:
        raise InputError(f"strain_step: got {strain_step!r}, expected a small strain in (0, 1e-2)")
    I = np.eye(2)
    E11, E22, E12 = np.diag([1.0, 0]), np.diag([0, 1.0]), np.array([[0, 1.0], [1.0, 0]])
    cases = [I, I + d * E11, I - d * E11, I + d * (E11 + E22), I - d * (E11 + E22), I + d * E12, I - d * E12]
    W = honeycomb_cauchy_born(np.array(cases), bond_stiffness, angle_stiffness, bond_length)[0]
    c11 = (W[1] - 2 * W[0] + W[2]) / d**2
    c_sum = (W[3] - 2 * W[0] + W[4]) / d**2            # = 2 C11 + 2 C12 (C22 = C11 by symmetry)
    c12 = c_sum / 2 - c11
    mu = (W[5] - 2 * W[0] + W[6]) / d**2 / 4
    return {"C11": c11, "C12": c12, "shear_modulus": mu, "youngs_modulus": (c11**2 - c12**2) / c11,
            "poisson_ratio": c12 / c11}
