"""Scenario schema of the fracture app (strict: unknown keys are errors).

Quantities carry units (``"0.4 eV"``, ``"2.3 A"``, ``"70.5 deg"``). In the atomistic
fields (lattice constant, sigma, cut-off, vacuum, force tolerance) a bare ``A`` means
ångström, as in ASE: ``"2.3 A"``, ``"1e-4 eV/A"`` (``Å`` and ``angstrom`` work too).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Optional

from pydantic import BaseModel, BeforeValidator, Field, TypeAdapter, ValidationError, field_validator, model_validator

from ...core.fields import STRICT, Energy, Length, Pressure, ScenarioHeader, quantity
from .geometry import Miller, NAMED_GEOMETRIES, parse_miller, resolve_geometry

__all__ = ["Scenario", "EMT_ELEMENTS", "FINNIS_SINCLAIR_ELEMENTS"]

#: fcc metals of ASE's EMT parameter set (Jacobsen, Stoltze & Nørskov 1996)
EMT_ELEMENTS = ("Al", "Cu", "Ag", "Au", "Ni", "Pd", "Pt")
#: elements of the published Finnis & Sinclair (1984) sets (all bcc)
FINNIS_SINCLAIR_ELEMENTS = ("V", "Cr", "Mo", "W")


def _atomistic(unit: str, positive: bool = True):
    """A quantity field in which a bare ``A`` is the ångström (ASE's length unit), stored in SI."""
    adapter = TypeAdapter(quantity(unit, positive=positive))

    def convert(value: Any) -> float:
        if isinstance(value, str):
            value = re.sub(r"(?<![A-Za-z])A(?![A-Za-z])", "angstrom", value)
        try:
            return adapter.validate_python(value)
        except ValidationError as e:
            raise ValueError(e.errors()[0]["msg"].removeprefix("Value error, ")) from None

    return Annotated[float, BeforeValidator(convert)]


AtomisticLength = _atomistic("m")
Force = _atomistic("N")
Angle = quantity("rad")
MillerIndices = Annotated[Miller, BeforeValidator(lambda v: _miller(v))]


def _miller(value):
    try:
        return parse_miller(value, "Miller indices")
    except ValueError as e:  # InputError is a ValueError: pydantic prefixes the key path
        raise ValueError(str(e).removeprefix("Miller indices: ")) from None


class EmtParameters(BaseModel):
    """ASE's effective-medium theory (no parameters: the element's EMT set)."""

    model_config = STRICT


class LennardJonesParameters(BaseModel):
    """12-6 Lennard-Jones pair potential; cut-off default 2.5 sigma, shifted-force truncation."""

    model_config = STRICT
    epsilon: Energy
    sigma: AtomisticLength
    cutoff: Optional[AtomisticLength] = None
    truncation: Literal["truncated", "shifted", "shifted-force"] = "shifted-force"


class Potential(BaseModel):
    """Exactly one of ``emt``, ``lennard_jones`` or ``finnis_sinclair``."""

    model_config = STRICT
    emt: Optional[EmtParameters] = None
    lennard_jones: Optional[LennardJonesParameters] = None
    finnis_sinclair: Optional[str] = None

    @model_validator(mode="after")
    def _one(self):
        given = [k for k in ("emt", "lennard_jones", "finnis_sinclair") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one potential of emt, lennard_jones, finnis_sinclair; got {given or 'none'}")
        return self

    @property
    def kind(self) -> str:
        return next(k for k in ("emt", "lennard_jones", "finnis_sinclair") if getattr(self, k) is not None)


class Material(BaseModel):
    """The crystal and its interatomic potential; ``lattice_constant`` is relaxed (zero pressure) if absent."""

    model_config = STRICT
    name: str
    element: Optional[str] = None
    lattice: str = "fcc"
    potential: Potential
    lattice_constant: Optional[AtomisticLength] = None

    @field_validator("lattice")
    @classmethod
    def _fcc(cls, value):
        if value != "fcc":
            raise ValueError(f"got {value!r}, expected 'fcc': laws.defects builds fcc slabs and the fcc (111)<112> "
                             "stacking fault only (a bcc crack needs {110} surfaces and {110}<111> faults there)")
        return value

    @model_validator(mode="after")
    def _potential_fits(self):
        kind = self.potential.kind
        if kind == "emt" and self.element not in EMT_ELEMENTS:
            raise ValueError(f"material.element: ASE's EMT needs an fcc metal of its parameter set {list(EMT_ELEMENTS)}, "
                             f"got {self.element!r}")
        if kind == "finnis_sinclair":
            el = self.potential.finnis_sinclair
            if el not in FINNIS_SINCLAIR_ELEMENTS:
                raise ValueError(f"material.potential.finnis_sinclair: got {el!r}, expected one of "
                                 f"{list(FINNIS_SINCLAIR_ELEMENTS)}")
            raise ValueError(f"material.potential.finnis_sinclair: the published set of {el} describes a bcc metal, "
                             "but the defect laws (laws.defects.surface_energy, generalized_stacking_fault) build fcc "
                             "slabs only; use emt or lennard_jones for an fcc crystal")
        return self


class Crack(BaseModel):
    """Crack plane, front and slip plane (Miller indices), or a named geometry, or the angles alone.

    ``geometry``: one of :data:`~.geometry.NAMED_GEOMETRIES`. Otherwise ``plane`` and
    ``front`` (``slip_plane`` optional, default the {111} plane through the front with
    the largest resolved shear; ``tilt`` optional, default from the nearest <112>), or
    ``plane`` with ``slip_angle`` θ and ``tilt`` φ (no orientation: ``anisotropic: false``).
    ``anisotropic``: the verdict uses the anisotropic (Stroh) criteria, else the
    isotropic ones with Voigt–Reuss–Hill moduli; both are always reported when the
    orientation is known.
    """

    model_config = STRICT
    geometry: Optional[str] = None
    plane: Optional[MillerIndices] = None
    front: Optional[MillerIndices] = None
    slip_plane: Optional[MillerIndices] = None
    slip_angle: Optional[Angle] = None
    tilt: Optional[Angle] = None
    anisotropic: bool = True

    @field_validator("geometry")
    @classmethod
    def _known(cls, value):
        if value is not None and value not in NAMED_GEOMETRIES:
            raise ValueError(f"got {value!r}, expected one of {sorted(NAMED_GEOMETRIES)}")
        return value

    @model_validator(mode="after")
    def _resolves(self):
        g = resolve_geometry(geometry=self.geometry, plane=self.plane, front=self.front, slip_plane=self.slip_plane,
                             slip_angle=self.slip_angle, tilt=self.tilt)
        if self.anisotropic and g.crack_frame is None:
            raise ValueError("crack.anisotropic: true needs the crystal orientation (crack.front or crack.geometry); "
                             "with crack.slip_angle alone set anisotropic: false")
        return self

    def resolved(self):
        """The :class:`~.geometry.CrackGeometry` of this block."""
        return resolve_geometry(geometry=self.geometry, plane=self.plane, front=self.front,
                                slip_plane=self.slip_plane, slip_angle=self.slip_angle, tilt=self.tilt)


class Atomistic(BaseModel):
    """Cell sizes and tolerances of the atomistic calculations (defaults: those of laws.defects,
    validated against ASE to 1 % for EMT Cu)."""

    model_config = STRICT
    slab_layers: int = Field(9, ge=5, le=60)
    gsf_layers: int = Field(12, ge=6, le=60)
    gsf_points: int = Field(11, ge=3, le=201)
    vacuum: AtomisticLength = 12e-10
    fmax: Force = 1e-4 * 1.602176634e-9       # 1e-4 eV/Å in N
    strain: float = Field(1e-4, ge=1e-6, le=5e-2)


class Scales(BaseModel):
    """Characteristic lengths: the atomistic cells, and the K-dominant zone of the continuum crack."""

    model_config = STRICT
    atomistic_length: Length = 1e-9
    k_field_length: Length = 1e-5


class Checks(BaseModel):
    """Checks of the solved chain: the expected verdict (a validation target) and the reference pressure."""

    model_config = STRICT
    expected_verdict: Optional[Literal["ductile", "brittle"]] = None
    max_pressure: Pressure = 1e9


class Scenario(ScenarioHeader):
    """A fracture scenario: potential -> C_ij, γ_s, γ_us -> K_Ic, K_Ie -> Rice's ductile/brittle verdict."""

    app: Literal["fracture"]
    material: Material
    crack: Crack
    atomistic: Atomistic = Atomistic()
    scales: Scales = Scales()
    checks: Checks = Checks()

    @model_validator(mode="after")
    def _lengths(self):
        lj = self.material.potential.lennard_jones
        if lj is not None and lj.cutoff is not None and lj.cutoff <= lj.sigma:
            raise ValueError(f"material.potential.lennard_jones.cutoff: {lj.cutoff * 1e10:.4g} A must exceed sigma "
                             f"({lj.sigma * 1e10:.4g} A)")
        if self.scales.atomistic_length >= self.scales.k_field_length:
            raise ValueError("scales.k_field_length must exceed scales.atomistic_length")
        return self
