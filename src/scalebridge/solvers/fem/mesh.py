r"""Cell meshes for the finite-element cell solver: voxel maps and conforming inclusion meshes.

A cell mesh is a pair ``(mesh, element_phases)``: a scikit-fem mesh with linear
Lagrange elements (triangles, quadrilaterals, tetrahedra, hexahedra) and the integer
phase id of every element. :func:`voxel_mesh` builds the structured quad/hex mesh of a
voxel phase map (one element per voxel, domain :math:`[0,1]^d`);
:func:`circular_inclusion_mesh` builds a mapped mesh of :math:`[0,1]^2` whose element
edges follow a centred circle, so the inclusion is represented without staircase.
"""

from __future__ import annotations

import numpy as np
import skfem

from ...core.errors import InputError

__all__ = ["voxel_mesh", "cell_mesh", "lagrange_element", "element_volumes", "circular_inclusion_mesh"]

#: Linear Lagrange element of each supported scikit-fem mesh type.
_ELEMENTS = {skfem.MeshTri1: skfem.ElementTriP1, skfem.MeshQuad1: skfem.ElementQuad1,
             skfem.MeshTet1: skfem.ElementTetP1, skfem.MeshHex1: skfem.ElementHex1}


def lagrange_element(mesh: skfem.Mesh) -> skfem.Element:
    """The linear (P1/Q1) Lagrange element of a scikit-fem mesh; InputError for other meshes."""
    element = _ELEMENTS.get(type(mesh))
    if element is None:
        raise InputError(f"mesh: got a {type(mesh).__name__}, expected one of "
                         f"{sorted(m.__name__ for m in _ELEMENTS)} (linear triangles, quads, tets or hexes)")
    return element()


def voxel_mesh(phases) -> tuple[skfem.Mesh, np.ndarray]:
    r"""Structured mesh of :math:`[0,1]^d` with one quadrilateral/hexahedral element per voxel.

    Voxel ``phases[i, j(, k)]`` occupies :math:`[i/n_1, (i+1)/n_1]\times[j/n_2, (j+1)/n_2](\times\dots)`
    (array axis 0 is x). The element of each voxel is found from its centroid, so the
    result does not depend on scikit-fem's element ordering.

    Parameters
    ----------
    phases : ndarray of int, shape (n1, n2) or (n1, n2, n3)
        Phase id per voxel (dimensionless).

    Returns
    -------
    mesh : skfem.MeshQuad1 or skfem.MeshHex1
    element_phases : ndarray of int, shape (n_elements,)
    """
    phases = _integer_array(phases, "phases")
    if phases.ndim not in (2, 3) or min(phases.shape) < 1:
        raise InputError(f"phases: expected a 2-D or 3-D voxel array, got shape {phases.shape}")
    axes = [np.linspace(0.0, 1.0, n + 1) for n in phases.shape]
    mesh = (skfem.MeshQuad if phases.ndim == 2 else skfem.MeshHex).init_tensor(*axes)
    centroid = mesh.p[:, mesh.t].mean(axis=1)                       # (d, n_elements)
    index = np.floor(centroid * np.array(phases.shape)[:, None]).astype(int)
    return mesh, phases[tuple(index)]


def cell_mesh(phases=None, mesh=None) -> tuple[skfem.Mesh, np.ndarray]:
    """Normalise the two ways of giving a cell: a voxel map, or ``mesh=(skfem_mesh, element_phases)``.

    ``phases`` is ignored when ``mesh`` is given. Returns ``(mesh, element_phases)``
    with the phase ids validated (non-negative integers, one per element).
    """
    if mesh is None:
        if phases is None:
            raise InputError("phases: got None and no mesh; give a voxel phase map or mesh=(mesh, element_phases)")
        return voxel_mesh(phases)
    if not (isinstance(mesh, (tuple, list)) and len(mesh) == 2 and isinstance(mesh[0], skfem.Mesh)):
        raise InputError(f"mesh: expected a pair (skfem.Mesh, element_phases), got {type(mesh).__name__}")
    m, element_phases = mesh
    lagrange_element(m)
    element_phases = _integer_array(element_phases, "mesh element_phases").ravel()
    if element_phases.size != m.nelements:
        raise InputError(f"mesh element_phases: got {element_phases.size} values for {m.nelements} elements")
    return m, element_phases


def element_volumes(mesh: skfem.Mesh) -> np.ndarray:
    """Area (2-D) or volume (3-D) of every element, in the mesh's length unit to the power d."""
    return skfem.Basis(mesh, lagrange_element(mesh), intorder=2).dx.sum(axis=1)


def circular_inclusion_mesh(n: int, radius: float, *, triangles: bool = True) -> tuple[skfem.Mesh, np.ndarray]:
    r"""Mesh of the unit square with a centred circular inclusion whose boundary follows element edges.

    A uniform :math:`n\times n` grid is mapped node by node: with :math:`d = x - c`
    (:math:`c` the centre), :math:`s = \|d\|_\infty` and :math:`s_0 = k/n` the grid
    level nearest to the radius, the square :math:`s = s_0` is sent onto the circle
    :math:`|x-c| = R`, the squares inside onto concentric circles, and the squares
    outside onto a linear blend between the circle and the cell boundary,

    .. math:: x' = c + (1-t)\,R\,\frac{d}{|d|_2} + t\,\frac{d}{2s},\qquad t = \frac{s - s_0}{1/2 - s_0},

    which leaves the boundary nodes in place (so opposite faces still match for
    periodic conditions). The inclusion is the polygon of the :math:`8k` circle nodes
    (volume fraction slightly below :math:`\pi R^2`; use :func:`element_volumes`).

    Parameters
    ----------
    n : int
        Elements per side of the underlying grid (even, >= 4).
    radius : float
        Inclusion radius R as a fraction of the cell side, 0 < R < 1/2.
    triangles : bool
        Split every quadrilateral into two triangles (MeshTri1) or keep quads (MeshQuad1).

    Returns
    -------
    mesh : skfem.MeshTri1 or skfem.MeshQuad1
    element_phases : ndarray of int
        1 in the inclusion, 0 in the matrix.
    """
    if int(n) != n or n < 4 or n % 2:
        raise InputError(f"n: expected an even number of elements per side >= 4, got {n}")
    if not 0.0 < radius < 0.5:
        raise InputError(f"radius: expected 0 < radius < 0.5 (fraction of the cell side), got {radius}")
    n = int(n)
    grid = skfem.MeshQuad.init_tensor(*[np.linspace(0.0, 1.0, n + 1)] * 2)
    d = grid.p - 0.5
    s = np.abs(d).max(axis=0)
    k = int(np.clip(round(radius * n), 1, n // 2 - 1))
    s0 = k / n
    safe = np.where(s > 0, s, 1.0)
    direction = d / np.where(s > 0, np.linalg.norm(d, axis=0), 1.0)
    t = np.clip((s - s0) / (0.5 - s0), 0.0, 1.0)
    outside = (1.0 - t) * radius * direction + t * d * (0.5 / safe)
    inside = (s / s0) * radius * direction
    p = 0.5 + np.where(s <= s0, inside, outside)
    centroid_level = np.abs(d[:, grid.t].mean(axis=1)).max(axis=0)
    phases = (centroid_level < s0).astype(int)
    mesh = skfem.MeshQuad(p, grid.t)
    if triangles:
        mesh, phases = mesh.to_meshtri(x=phases)
    return mesh, np.asarray(phases, dtype=int)


def _integer_array(values, name: str) -> np.ndarray:
    arr = np.asarray(values)
    if arr.dtype.kind not in "iub":
        if arr.dtype.kind != "f" or not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)):
            raise InputError(f"{name}: expected integer phase ids, got dtype {arr.dtype}")
    arr = arr.astype(int)
    if arr.size and arr.min() < 0:
        raise InputError(f"{name}: phase ids must be >= 0, got minimum {arr.min()}")
    return arr
