r"""Crack-tip crystallography of an fcc crystal: cleavage plane, crack front, inclined slip plane.

A crack lies on the plane with normal :math:`\mathbf n`, its front runs along
:math:`\mathbf t \perp \mathbf n`, and it opens in mode I. A {111} slip plane with
normal :math:`\mathbf m` that contains the front (:math:`\mathbf m\cdot\mathbf t = 0`)
meets the crack plane at the angle

.. math:: \cos\theta = |\hat{\mathbf n}\cdot\hat{\mathbf m}|,\qquad 0 < \theta \le \pi/2 .

Of the two branches of the slip plane through the tip (θ ahead, π − θ behind) the
acute one carries the larger resolved shear, since
:math:`F_{12}(\theta) - F_{12}(\pi-\theta) = \cos\frac\theta2\sin\frac\theta2(\cos\frac\theta2-\sin\frac\theta2) > 0`
for θ < π/2 (Rice 1992, J. Mech. Phys. Solids 40, 239, sec. 5). The emitted (leading
partial) dislocation glides along a ⟨112⟩ direction of the slip plane; its tilt φ is
the angle between that direction and :math:`\mathbf d = \hat{\mathbf m}\times\hat{\mathbf t}`,
the in-plane normal to the front (the nearest ⟨112⟩, so 0 ≤ φ ≤ 30°).

Frames (rows are unit axes in the cube frame, right-handed):

* crack frame: :math:`x_1 = \mathbf n\times\mathbf t` (propagation), :math:`x_2 = \mathbf n`, :math:`x_3 = \mathbf t`;
* slip frame: :math:`x_1 = \mathbf m\times\mathbf t`, :math:`x_2 = \mathbf m`, :math:`x_3 = \mathbf t`,

as :func:`scalebridge.laws.mechanics.crack_compliance_stroh` expects them.

Named geometries (fcc; the leading partial is normal to the front, φ = 0):

* ``cleavage_111``: (111)[1-10] crack, (11-1) slip plane, cos θ = 1/3 (θ = 70.53°, the
  maximum of F12);
* ``cleavage_100``: (010)[101] crack, (11-1) slip plane, cos θ = 1/√3 (θ = 54.74°);
* ``cleavage_110``: (1-10)[110] crack, (1-11) slip plane, cos θ = √(2/3) (θ = 35.26°).
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from typing import Optional

import numpy as np

from ...core.errors import InputError
from ...laws.mechanics import resolved_shear_factor

__all__ = ["Miller", "CrackGeometry", "NAMED_GEOMETRIES", "parse_miller", "miller_text", "plane_family",
           "resolve_geometry"]

Miller = tuple[int, int, int]

#: name -> (crack plane, crack front, slip plane)
NAMED_GEOMETRIES: dict[str, tuple[Miller, Miller, Miller]] = {
    "cleavage_111": ((1, 1, 1), (1, -1, 0), (1, 1, -1)),
    "cleavage_100": ((0, 1, 0), (1, 0, 1), (1, 1, -1)),
    "cleavage_110": ((1, -1, 0), (1, 1, 0), (1, -1, 1)),
}

#: the four {111} slip-plane normals of fcc
SLIP_PLANES_111: tuple[Miller, ...] = ((1, 1, 1), (-1, 1, 1), (1, -1, 1), (1, 1, -1))


def parse_miller(value, key: str) -> Miller:
    """Three integer indices from ``"1-10"``, ``"-1 1 0"``, ``"1,1,10"`` or ``[1, -1, 0]``.

    Compact strings take one digit per index (the crystallographer's "1-10"); separate
    indices by spaces or commas for multi-digit ones. Raises InputError naming ``key``.
    """
    if isinstance(value, str):
        text = value.strip().strip("()[]{}<>")
        tokens = re.split(r"[\s,]+", text) if re.search(r"[\s,]", text) else re.findall(r"-?\d", text)
        if re.sub(r"[-\d\s,]", "", text) or not all(re.fullmatch(r"-?\d+", t) for t in tokens):
            tokens = []
        indices = [int(t) for t in tokens]
    elif isinstance(value, (list, tuple)) and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        indices = list(value)
    else:
        indices = []
    if len(indices) != 3 or not any(indices):
        raise InputError(f"{key}: got {value!r}, expected three Miller indices such as \"111\", \"1-10\" or [1, -1, 0]")
    g = math.gcd(*indices)
    return tuple(int(i // g) for i in indices)  # type: ignore[return-value]


def miller_text(m: Miller) -> str:
    """``(1, -1, 0)`` -> ``"1-10"``."""
    return "".join(str(i) for i in m)


def plane_family(m: Miller) -> Optional[str]:
    """The fcc surface family of a plane, ``"100"``, ``"110"`` or ``"111"``, else None."""
    key = tuple(sorted(abs(i) for i in m))
    return {(0, 0, 1): "100", (0, 1, 1): "110", (1, 1, 1): "111"}.get(key)


def _unit(v) -> np.ndarray:
    v = np.asarray(v, dtype=float)
    return v / np.linalg.norm(v)


def _directions_112_in(m: Miller) -> np.ndarray:
    """The six <112> unit directions lying in the {111} plane m."""
    vs = {p for base in itertools.permutations((1, 1, 2)) for p in itertools.product(*[(b, -b) for b in base])}
    return np.array([_unit(v) for v in sorted(vs) if np.dot(v, m) == 0])


@dataclass(frozen=True)
class CrackGeometry:
    """A resolved crack geometry (angles in rad; frames as rows in the cube frame, or None).

    ``cleavage_family`` is the surface family ("100", "110", "111") whose surface
    energy opens the crack; ``crack_frame`` and ``slip_frame`` are None for a
    geometry given by angles only (then only the isotropic criteria apply).
    """

    label: str
    cleavage_family: str
    slip_angle: float
    tilt: float
    plane: Miller
    front: Optional[Miller] = None
    slip_plane: Optional[Miller] = None
    crack_frame: Optional[np.ndarray] = None
    slip_frame: Optional[np.ndarray] = None

    def to_dict(self) -> dict:
        return {"label": self.label, "cleavage_family": self.cleavage_family, "plane": miller_text(self.plane),
                "front": None if self.front is None else miller_text(self.front),
                "slip_plane": None if self.slip_plane is None else miller_text(self.slip_plane),
                "slip_angle_deg": math.degrees(self.slip_angle), "tilt_deg": math.degrees(self.tilt)}


def resolve_geometry(*, geometry: Optional[str] = None, plane: Optional[Miller] = None,
                     front: Optional[Miller] = None, slip_plane: Optional[Miller] = None,
                     slip_angle: Optional[float] = None, tilt: Optional[float] = None) -> CrackGeometry:
    """The crack geometry from a name, from Miller indices, or from the angles θ, φ (rad).

    Keys (as in the scenario's ``crack`` block): ``geometry`` alone; or ``plane`` and
    ``front`` (``slip_plane`` optional: default the {111} plane containing the front
    with the largest F12; ``tilt`` optional: default from the nearest <112>); or
    ``plane`` with ``slip_angle`` (and ``tilt``, default 0) and no orientation.
    Raises InputError naming the ``crack.*`` key at fault.
    """
    if geometry is not None:
        given = [k for k, v in dict(plane=plane, front=front, slip_plane=slip_plane, slip_angle=slip_angle,
                                     tilt=tilt).items() if v is not None]
        if given:
            raise InputError(f"crack.geometry: {geometry!r} fixes the plane, front and slip plane; remove {given}")
        if geometry not in NAMED_GEOMETRIES:
            raise InputError(f"crack.geometry: got {geometry!r}, expected one of {sorted(NAMED_GEOMETRIES)}")
        plane, front, slip_plane = NAMED_GEOMETRIES[geometry]
    if plane is None:
        raise InputError("crack.plane: missing; give a named crack.geometry or the crack plane (e.g. \"111\")")
    family = plane_family(plane)
    if family is None:
        raise InputError(f"crack.plane: got ({miller_text(plane)}), expected a {{100}}, {{110}} or {{111}} plane "
                         "(the fcc surfaces of laws.defects.surface_energy)")
    if front is None:
        if slip_plane is not None:
            raise InputError("crack.slip_plane: needs crack.front (the slip plane must contain the crack front)")
        if slip_angle is None:
            raise InputError("crack: give crack.front (crystallographic geometry) or crack.slip_angle (angles only)")
        if not 0 < slip_angle < math.pi:
            raise InputError(f"crack.slip_angle: got {math.degrees(slip_angle):.4g} deg, expected in (0, 180) deg")
        phi = 0.0 if tilt is None else tilt
        if not -math.pi / 2 < phi < math.pi / 2:
            raise InputError(f"crack.tilt: got {math.degrees(phi):.4g} deg, expected in (-90, 90) deg")
        return CrackGeometry(f"({miller_text(plane)}) crack, slip plane at {math.degrees(slip_angle):.2f} deg",
                             family, float(slip_angle), float(phi), plane)
    if slip_angle is not None:
        raise InputError("crack.slip_angle: follows from crack.plane, crack.front and the slip plane; remove it "
                         "(or remove crack.front to give the angles alone)")
    if np.dot(plane, front) != 0:
        raise InputError(f"crack.front: [{miller_text(front)}] does not lie in the crack plane "
                         f"({miller_text(plane)}) (their dot product is {int(np.dot(plane, front))})")
    n, t = _unit(plane), _unit(front)
    candidates = []
    for m in SLIP_PLANES_111 if slip_plane is None else (slip_plane,):
        if slip_plane is not None and plane_family(m) != "111":
            raise InputError(f"crack.slip_plane: got ({miller_text(m)}), expected a {{111}} plane (fcc slip)")
        if np.dot(m, front) != 0:
            if slip_plane is not None:
                raise InputError(f"crack.slip_plane: ({miller_text(m)}) does not contain the crack front "
                                 f"[{miller_text(front)}]")
            continue
        cos = min(1.0, abs(float(np.dot(n, _unit(m)))))
        if cos > 1 - 1e-12:
            if slip_plane is not None:
                raise InputError(f"crack.slip_plane: ({miller_text(m)}) is the crack plane; mode I resolves no "
                                 "shear on it")
            continue
        theta = math.acos(cos)
        candidates.append((float(resolved_shear_factor(theta)), theta, m))
    if not candidates:
        raise InputError(f"crack.front: no inclined {{111}} slip plane contains the front [{miller_text(front)}]; "
                         "choose a <110> or <112> front, or give crack.slip_angle without a front")
    _, theta, m = max(candidates)
    mh = _unit(m)
    d = np.cross(mh, t)
    phi = float(np.min(np.arccos(np.clip(np.abs(_directions_112_in(m) @ d), 0.0, 1.0))))
    if tilt is not None:
        if not -math.pi / 2 < tilt < math.pi / 2:
            raise InputError(f"crack.tilt: got {math.degrees(tilt):.4g} deg, expected in (-90, 90) deg")
        phi = float(tilt)
    crack_frame = np.array([np.cross(n, t), n, t])
    slip_frame = np.array([d, mh, t])
    label = geometry or f"({miller_text(plane)})[{miller_text(front)}]"
    label = f"{label}: ({miller_text(plane)})[{miller_text(front)}] crack, ({miller_text(m)}) slip plane" \
        if geometry else f"{label} crack, ({miller_text(m)}) slip plane"
    return CrackGeometry(label, family, theta, phi, plane, front, m, crack_frame, slip_frame)
