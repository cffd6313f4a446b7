r"""2-D atomistic/continuum coupling: a triangular lattice inside Cauchy–Born finite elements.

A triangular lattice (spacing a, nearest-neighbour pair potential φ at its minimum,
so the lattice is stress free) fills a rectangular slab of ``nx`` sites by ``ny`` rows.
The coupled model keeps the atoms of a disc (the *atomistic region*, e.g. under an
indenter) and replaces the rest by linear P1 finite elements (scikit-fem) whose nodes
are lattice sites: every site near the atomistic region (nodes coincide with atoms
at the interface), then nested sub-lattices of spacing 2a, 4a, ... further out,
Delaunay-triangulated. In the refined zone the elements are lattice triangles.

The continuum is the linearised Cauchy–Born elasticity of the same lattice,

.. math:: C_{ijkl} = \frac{1}{2\Omega_0}\sum_{\text{6 neighbours}}\phi''(a)\,a^2\,n_in_jn_kn_l,
          \qquad \lambda = \mu = \frac{\sqrt3}{4}\phi''(a)\ \text{(2-D, energy/area)},

(Tadmor & Miller 2011, sec. 11.3). The key identity: the nonlinear Cauchy–Born
energy of a lattice triangle, :math:`\Omega_t W(F)`, equals half the sum of its three
edge-bond energies for any nodal positions. A coupling is therefore a weight per bond
and per triangle:

.. math:: E = \sum_b w_b\,\phi(|x_j - x_i|) + \sum_t c_t\,\tfrac12\,u_t^T K_t u_t

(:math:`K_t` the linear CB element stiffness). Methods (``method=``):

* ``"consistent"``: every bond is split in equal shares between its triangles (two,
  or one on a free surface); atomistic triangles (centroid in the atomistic disc)
  count their shares exactly, every other triangle is continuum (:math:`c_t` = 1). Energy-based and free of ghost forces (exactly so for the linearised
  lattice; up to the O(ε²) nonlinearity of the atoms otherwise). This is the
  geometrically consistent partition that the quasi-nonlocal idea (Shimokawa et al.
  2004) generalises.
* ``"qce"``: Tadmor, Ortiz & Phillips (1996): nonlocal atoms (in the disc) carry site
  energies :math:`\tfrac12\sum_j\phi`, local nodes one third of each adjacent
  triangle's continuum energy: ghost forces at the interface.
* ``"qcf"``: force-based (Knap & Ortiz 2001): atomistic forces on atoms, continuum
  forces on nodes; no energy.
* ``"blended"``: bridging domain (Xiao & Belytschko 2004): linear ramp α(r) over
  ``blend_width`` outside the disc; bonds weighted 1 − α(midpoint), triangles α(centroid).

:class:`AtomisticSlab` is the fully atomistic reference. An indenter (Kelchner,
Plimpton & Hamilton 1998, Phys. Rev. B 58, 11085), a rigid cylinder of radius R
with energy :math:`\sum_i \tfrac{K}{3}(R - r_i)^3` for :math:`r_i < R`, loads the top surface.
Units are the potential's (e.g. Lennard-Jones ε, σ; energies per unit thickness).

References
----------
Miller & Tadmor, Modelling Simul. Mater. Sci. Eng. 17, 053001 (2009); Tadmor & Miller,
*Modeling Materials* (2011), ch. 12–13; Shenoy et al., J. Mech. Phys. Solids 47, 611 (1999).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
import skfem
from scipy.spatial import Delaunay, cKDTree
from skfem.helpers import ddot, sym_grad, trace

from ..core.errors import InputError
from .domain import _newton

__all__ = ["triangular_lattice", "cauchy_born_lame", "AtomisticSlab", "CoupledSlab", "Indenter",
           "IndentationResult", "indent"]

METHODS = ("consistent", "qce", "qcf", "blended")


def triangular_lattice(nx: int, ny: int, spacing: float) -> tuple[np.ndarray, np.ndarray]:
    """Sites of a triangular lattice slab: positions (N, 2) and integer (i, j) (column, row), row-major.

    Row j is at y = j a√3/2, site i of it at x = a (i + (j mod 2)/2).
    """
    if int(nx) != nx or int(ny) != ny or nx < 3 or ny < 3:
        raise InputError(f"nx, ny: got {nx!r}, {ny!r}, expected integers >= 3")
    if not (np.isfinite(spacing) and spacing > 0):
        raise InputError(f"spacing: got {spacing!r}, expected a lattice spacing > 0")
    j, i = np.divmod(np.arange(int(nx) * int(ny)), int(nx))
    X = np.column_stack([spacing * (i + 0.5 * (j % 2)), spacing * np.sqrt(3) / 2 * j])
    return X, np.column_stack([i, j])


def cauchy_born_lame(potential) -> float:
    r"""λ = μ = (√3/4) φ''(a) of the NN triangular lattice (2-D moduli, energy/area); needs φ'(a) = 0."""
    a = potential.spacing
    if abs(potential.force(np.asarray(a), 1)) > 1e-8 * abs(potential.stiffness_of(np.asarray(a), 1)) * a:
        raise InputError("potential: the lattice spacing is not at the minimum of the pair potential "
                         "(phi'(a) != 0); the linear Cauchy-Born continuum assumes a stress-free lattice")
    return float(np.sqrt(3) / 4 * potential.stiffness_of(np.asarray(a), 1))


@dataclass(frozen=True)
class Indenter:
    r"""Rigid cylindrical indenter (Kelchner et al. 1998): E = Σ K/3 (R − r)³ for r < R.

    ``center_x`` and ``surface_y`` locate the contact point; at depth d the axis is at
    (center_x, surface_y + R − d). K in energy/length³, R in length.
    """

    radius: float
    stiffness: float
    center_x: float
    surface_y: float

    def axis(self, depth):
        return np.array([self.center_x, self.surface_y + self.radius - depth])

    def energy_gradient_hessian(self, x, depth):
        """Energy, gradient (N, 2) and the 2x2 Hessian blocks (N, 2, 2) of the indenter on positions x."""
        d = x - self.axis(depth)
        r = np.linalg.norm(d, axis=1)
        inside = r < self.radius
        g = np.zeros_like(x)
        H = np.zeros((x.shape[0], 2, 2))
        if not inside.any():
            return 0.0, g, H
        ri, n = r[inside], d[inside] / r[inside, None]
        gap = self.radius - ri
        energy = float(np.sum(self.stiffness / 3 * gap**3))
        g[inside] = -(self.stiffness * gap**2)[:, None] * n
        nn = n[:, :, None] * n[:, None, :]
        H[inside] = (2 * self.stiffness * gap)[:, None, None] * nn - (self.stiffness * gap**2 / ri)[:, None, None] \
            * (np.eye(2) - nn)
        return energy, g, H

    def force(self, x, depth) -> float:
        """Total vertical load on the indenter (force per thickness, positive pushing down)."""
        return float(np.sum(self.energy_gradient_hessian(x, depth)[1][:, 1]))


class _BondModel:
    """Shared bond/continuum energy, forces and sparse stiffness over nodes in 2-D."""

    conservative = True
    linearized = False

    def _setup_bonds(self, bonds, weights):
        keep = weights != 0
        self.bonds, self.bond_weights = bonds[keep], weights[keep]
        d0 = self.reference_positions[self.bonds[:, 1]] - self.reference_positions[self.bonds[:, 0]]
        self._n0 = d0 / np.linalg.norm(d0, axis=1)[:, None]

    @property
    def n_nodes(self) -> int:
        return self.reference_positions.shape[0]

    def _bond_parts(self, u, bonds, w):
        n = self.n_nodes
        i, j = bonds[:, 0], bonds[:, 1]
        a = self.potential.spacing
        if self.linearized:
            d0 = self.reference_positions[j] - self.reference_positions[i]
            n_ = d0 / np.linalg.norm(d0, axis=1)[:, None]
            k = self.potential.stiffness_of(np.full(i.size, a), 1)
            s = np.sum(n_ * (u[j] - u[i]), axis=1)
            energy = float(np.sum(w * 0.5 * k * s**2))
            fb = (w * k * s)[:, None] * n_
            blocks = (w * k)[:, None, None] * n_[:, :, None] * n_[:, None, :]
        else:
            d = self.reference_positions[j] + u[j] - self.reference_positions[i] - u[i]
            r = np.linalg.norm(d, axis=1)
            n_ = d / r[:, None]
            energy = float(np.sum(w * self.potential.energy(r, 1)))
            fp = self.potential.force(r, 1)
            fb = (w * fp)[:, None] * n_
            nn = n_[:, :, None] * n_[:, None, :]
            blocks = w[:, None, None] * (self.potential.stiffness_of(r, 1)[:, None, None] * nn
                                         + (fp / r)[:, None, None] * (np.eye(2) - nn))
        grad = np.zeros((n, 2))
        np.add.at(grad, j, fb)
        np.add.at(grad, i, -fb)
        return energy, grad, self._block_matrix(i, j, blocks)

    def _block_matrix(self, i, j, blocks):
        n = self.n_nodes
        ci, cj = np.arange(2)[None, :, None], np.arange(2)[None, None, :]
        rows, cols, vals = [], [], []
        for p, q, sign in ((i, i, 1), (j, j, 1), (i, j, -1), (j, i, -1)):   # four blocks of a bond
            rows.append((2 * p[:, None, None] + ci + 0 * cj).ravel())
            cols.append((2 * q[:, None, None] + cj + 0 * ci).ravel())
            vals.append((sign * blocks).ravel())
        return sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                             shape=(2 * n, 2 * n))

    def _parts(self, u):
        """Energy, gradient (n_nodes, 2), stiffness (2n x 2n) of the whole model (method-specific)."""
        e, g, K = self._bond_parts(u, self.bonds, self.bond_weights)
        if self.continuum_stiffness is not None:
            Kc = self.continuum_stiffness
            gc = Kc @ u.ravel()
            e += 0.5 * float(u.ravel() @ gc)
            g = g + gc.reshape(-1, 2)
            K = K + Kc
        return e, g, K

    def energy(self, u) -> float:
        return self._parts(np.asarray(u, float).reshape(-1, 2))[0]

    def forces(self, u) -> np.ndarray:
        """Forces −∂E/∂x on all nodes, shape (n_nodes, 2) (the patch-test protocol)."""
        return -self._parts(np.asarray(u, float).reshape(-1, 2))[1]

    def stiffness(self, u) -> sp.csr_matrix:
        return self._parts(np.asarray(u, float).reshape(-1, 2))[2]

    def _boundary(self, ij, nx, ny=None):
        """Bottom row and side columns; also the top row when ``ny`` is given (a clamped box)."""
        top = (ij[:, 1] == ny - 1) if ny is not None else False
        return np.where((ij[:, 1] == 0) | (ij[:, 0] == 0) | (ij[:, 0] == nx - 1) | top)[0]

    def relax(self, indenter: Indenter, depth: float, u0=None, tol: float = 1e-8, max_iter: int = 40):
        """Equilibrium under the indenter at one depth (fixed nodes held at u = 0); Newton, sparse direct."""
        n = self.n_nodes
        u = np.zeros(2 * n) if u0 is None else np.asarray(u0, float).ravel().copy()
        fixed = np.zeros(2 * n, bool)
        fixed[2 * self.fixed_nodes] = fixed[2 * self.fixed_nodes + 1] = True
        free = np.where(~fixed)[0]

        def force(v):
            x = self.reference_positions + v.reshape(-1, 2)
            return self.forces(v).ravel() - indenter.energy_gradient_hessian(x, depth)[1].ravel()

        def stiffness(v):
            x = self.reference_positions + v.reshape(-1, 2)
            Hb = indenter.energy_gradient_hessian(x, depth)[2]
            idx = np.where(np.abs(Hb).sum(axis=(1, 2)) > 0)[0]
            ci, cj = np.arange(2)[None, :, None], np.arange(2)[None, None, :]
            rows = (2 * idx[:, None, None] + ci + 0 * cj).ravel()
            cols = (2 * idx[:, None, None] + cj + 0 * ci).ravel()
            Ki = sp.csr_matrix((Hb[idx].ravel(), (rows, cols)), shape=(2 * n, 2 * n))
            return self.stiffness(v) + Ki

        scale = abs(self.potential.stiffness_of(np.asarray(self.potential.spacing), 1)) * self.potential.spacing
        return _newton(force, stiffness, u, free, tol * scale, max_iter, type(self).__name__)


class AtomisticSlab(_BondModel):
    """Fully atomistic triangular-lattice slab: every site a node, every NN bond explicit.

    Bottom row and both side columns are fixed; the top row is a free surface.
    """

    def __init__(self, potential, nx: int, ny: int, linearized: bool = False):
        if getattr(potential, "shells", 1) != 1:
            raise InputError("potential: the 2-D lattice couplings use nearest-neighbour interactions only "
                             "(shells = 1)")
        cauchy_born_lame(potential)
        self.potential, self.linearized, self.nx, self.ny = potential, bool(linearized), int(nx), int(ny)
        self.reference_positions, self.site_ij = triangular_lattice(nx, ny, potential.spacing)
        self.sites = np.arange(self.reference_positions.shape[0])
        bonds = cKDTree(self.reference_positions).query_pairs(1.01 * potential.spacing, output_type="ndarray")
        self._setup_bonds(bonds, np.ones(len(bonds)))
        self.continuum_stiffness = None
        self.fixed_nodes = self._boundary(self.site_ij, self.nx)
        self.is_atom = np.ones(self.n_nodes, bool)


class CoupledSlab(_BondModel):
    r"""Triangular-lattice slab with an atomistic disc coupled to linear Cauchy–Born P1 elements.

    Parameters
    ----------
    potential : LennardJones or HarmonicBonds
        Nearest-neighbour pair potential at its minimum (``shells = 1``).
    nx, ny : int
        Sites per row and rows of the underlying lattice slab (as :class:`AtomisticSlab`).
    center : (float, float)
        Centre of the atomistic disc (length).
    radius : float
        Radius of the atomistic disc (length).
    method : {"consistent", "qce", "qcf", "blended"}
        Coupling (module docstring).
    pad : float
        Width (length) of the fully refined zone around the disc (nodes on every atom);
        at least one spacing (the interaction range), plus ``blend_width`` for blending.
    max_level : int
        Coarsest element size 2**max_level spacings.
    blend_width : float
        Width of the blending ramp for ``method="blended"`` (length).
    linearized : bool
        Linearise the bonds about the reference (the atomistic counterpart of the linear continuum).
    clamped_top : bool
        Also fix the top row (a box clamped on all sides, for the patch test); default:
        free top surface (indentation).
    """

    def __init__(self, potential, nx: int, ny: int, center, radius: float, method: str = "consistent",
                 pad: float | None = None, max_level: int = 4, blend_width: float | None = None,
                 linearized: bool = False, clamped_top: bool = False):
        if method not in METHODS:
            raise InputError(f"method: got {method!r}, expected one of {METHODS}")
        if getattr(potential, "shells", 1) != 1:
            raise InputError("potential: the 2-D lattice couplings use nearest-neighbour interactions only (shells = 1)")
        lam = cauchy_born_lame(potential)
        a = potential.spacing
        self.potential, self.method, self.linearized = potential, method, bool(linearized)
        self.nx, self.ny = int(nx), int(ny)
        self.center, self.radius = np.asarray(center, float), float(radius)
        if not (self.radius >= a):
            raise InputError(f"radius: got {radius!r}, expected an atomistic disc radius >= one spacing {a:g}")
        self.blend_width = float(blend_width if blend_width is not None else 3 * a)
        pad = float(pad if pad is not None else 2 * a) + (self.blend_width if method == "blended" else 0.0)
        if pad < 1.5 * a:
            raise InputError(f"pad: got {pad!r}, expected >= 1.5 spacings (the interaction range)")
        X, ij = triangular_lattice(nx, ny, a)
        node = self._graded_nodes(X, ij, self.radius + pad, int(max_level))
        self.sites = np.where(node)[0]
        self.site_ij = ij[self.sites]
        self.reference_positions = X[self.sites]
        self.fixed_nodes = self._boundary(self.site_ij, self.nx, self.ny if clamped_top else None)
        self._mesh(a)
        r = np.linalg.norm(self.reference_positions - self.center, axis=1)
        self.is_atom = r < self.radius
        bonds = cKDTree(self.reference_positions).query_pairs(1.01 * a, output_type="ndarray")
        self._weights(bonds, a)
        self._assemble_continuum(lam)

    # ------------------------------------------------------------------ geometry
    def _graded_nodes(self, X, ij, fine_radius, max_level):
        r = np.linalg.norm(X - self.center, axis=1)
        level = np.clip(np.floor(np.log2(np.maximum(r, 1e-300) / fine_radius)) + 1, 0, max_level).astype(int)
        s = 2 ** level
        m, n = ij[:, 0] - ij[:, 1] // 2, ij[:, 1]                  # skew lattice coordinates
        node = (r < fine_radius) | ((m % s == 0) & (n % s == 0))
        edge_row = (n == 0) | (n == self.ny - 1)
        edge_col = ((ij[:, 0] == 0) | (ij[:, 0] == self.nx - 1)) & (n % 2 == 0)
        node |= edge_row & (ij[:, 0] % s == 0)
        node |= edge_col & (n % s == 0)
        node |= edge_row & ((ij[:, 0] == 0) | (ij[:, 0] == self.nx - 1))
        return node

    def _mesh(self, a):
        tri = Delaunay(self.reference_positions).simplices
        P = self.reference_positions
        area = 0.5 * ((P[tri[:, 1], 0] - P[tri[:, 0], 0]) * (P[tri[:, 2], 1] - P[tri[:, 0], 1])
                      - (P[tri[:, 2], 0] - P[tri[:, 0], 0]) * (P[tri[:, 1], 1] - P[tri[:, 0], 1]))
        tri = tri[np.abs(area) > 1e-6 * a**2]
        flip = area[np.abs(area) > 1e-6 * a**2] < 0
        tri[flip] = tri[flip][:, [0, 2, 1]]
        self.triangles = tri
        self.mesh = skfem.MeshTri(P.T.copy(), tri.T.copy())
        edges = P[tri[:, [1, 2, 0]]] - P[tri]
        self.is_lattice_triangle = np.all(np.abs(np.linalg.norm(edges, axis=2) - a) < 1e-6 * a, axis=1)
        self.centroids = P[tri].mean(axis=1)

    def _edge_triangle_count(self, bonds, tri_mask):
        """For each bond, how many triangles of tri_mask have it as an edge (vectorised)."""
        n = self.n_nodes
        key = lambda p, q: np.minimum(p, q) * n + np.maximum(p, q)   # noqa: E731
        t = self.triangles[tri_mask]
        ek = np.concatenate([key(t[:, 0], t[:, 1]), key(t[:, 1], t[:, 2]), key(t[:, 2], t[:, 0])])
        uniq, counts = np.unique(ek, return_counts=True)
        bk = key(bonds[:, 0], bonds[:, 1])
        pos = np.clip(np.searchsorted(uniq, bk), 0, max(uniq.size - 1, 0))
        return np.where((uniq.size > 0) & (uniq[pos] == bk), counts[pos], 0) if uniq.size else np.zeros(len(bonds))

    def _weights(self, bonds, a):
        lat = self.is_lattice_triangle
        rc = np.linalg.norm(self.centroids - self.center, axis=1)
        c_t = np.ones(len(self.triangles))
        atom = self.is_atom
        self.atom_bonds = None
        if self.method == "consistent":
            atomistic_tri = lat & (rc < self.radius)
            # a bond belongs in equal shares to its triangles (two inside, one on a free surface)
            shares = np.maximum(self._edge_triangle_count(bonds, np.ones(len(self.triangles), bool)), 1)
            w = self._edge_triangle_count(bonds, atomistic_tri) / shares
            c_t[atomistic_tri] = 0.0
        elif self.method == "qce":
            w = 0.5 * atom[bonds[:, 0]] + 0.5 * atom[bonds[:, 1]]
            c_t = (~atom[self.triangles]).sum(axis=1) / 3.0
        elif self.method == "blended":
            alpha = lambda x: np.clip((np.linalg.norm(x - self.center, axis=-1) - self.radius)   # noqa: E731
                                      / self.blend_width, 0.0, 1.0)
            mid = 0.5 * (self.reference_positions[bonds[:, 0]] + self.reference_positions[bonds[:, 1]])
            w = 1.0 - alpha(mid)
            c_t = np.where(lat, alpha(self.centroids), 1.0)
            if np.any(~lat & (alpha(self.centroids) < 1)):
                raise InputError("pad: the blending ramp reaches coarse elements; increase pad")
        else:  # qcf: atomistic forces from every bond, continuum forces from every triangle
            w = np.zeros(len(bonds))
            self.atom_bonds = bonds
            self.conservative = False
        self.triangle_weights = c_t
        self._setup_bonds(bonds, np.asarray(w, float))

    def _assemble_continuum(self, lam):
        mu = lam

        @skfem.BilinearForm
        def elasticity(u, v, w):
            eu, ev = sym_grad(u), sym_grad(v)
            return w["c"] * (lam * trace(eu) * trace(ev) + 2 * mu * ddot(eu, ev))

        basis = skfem.Basis(self.mesh, skfem.ElementVector(skfem.ElementTriP1()))
        c = skfem.Basis(self.mesh, skfem.ElementTriP0()).interpolate(self.triangle_weights)
        K = skfem.asm(elasticity, basis, c=c)
        perm = basis.nodal_dofs.T.ravel()            # my dof 2*node+comp -> scikit-fem dof
        self.continuum_stiffness = K[perm][:, perm].tocsr()
        self.basis = basis

    # ------------------------------------------------------------------ force-based variant
    def _parts(self, u):
        if self.method != "qcf":
            return super()._parts(u)
        ea, ga, Ka = self._bond_parts(u, self.atom_bonds, np.ones(len(self.atom_bonds)))
        Kc = self.continuum_stiffness
        gc = (Kc @ u.ravel()).reshape(-1, 2)
        pick = np.repeat(self.is_atom, 2).astype(float)
        g = np.where(self.is_atom[:, None], ga, gc)
        K = sp.diags(pick) @ Ka + sp.diags(1 - pick) @ Kc
        return np.nan, g, K.tocsr()

    def energy(self, u):
        if self.method == "qcf":
            raise InputError("CoupledSlab(method='qcf'): the force-based coupling has no energy")
        return super().energy(u)

    @property
    def n_dofs(self) -> int:
        """Free degrees of freedom."""
        return 2 * (self.n_nodes - self.fixed_nodes.size)


@dataclass
class IndentationResult:
    """Coupled and fully atomistic indentation, compared over the atomistic disc."""

    depths: np.ndarray                 #: indenter depths (length)
    load_coupled: np.ndarray           #: indenter load per thickness at each depth
    load_atomistic: np.ndarray
    u_coupled: np.ndarray              #: final node displacements of the coupled model (n_nodes, 2)
    u_atomistic: np.ndarray            #: final site displacements of the full model (n_sites, 2)
    relative_l2_error: float           #: ||u_c − u_a|| / ||u_a|| over the atoms of the disc
    dofs_coupled: int
    dofs_atomistic: int
    time_coupled: float                #: wall time of the coupled solve (s)
    time_atomistic: float
    coupled: CoupledSlab = field(repr=False)
    atomistic: AtomisticSlab = field(repr=False)


def indent(coupled: CoupledSlab, atomistic: AtomisticSlab, indenter: Indenter, depths) -> IndentationResult:
    """Indent the coupled and the fully atomistic slab through ``depths`` (load steps) and compare.

    Each depth is one Newton solve started from the previous one (quasi-static).
    The error is the relative L2 norm of the displacement difference over the atoms of
    the atomistic disc of ``coupled`` (the coupled nodes are lattice sites).
    """
    depths = np.asarray(depths, float)
    if depths.ndim != 1 or depths.size < 1 or not np.all(np.isfinite(depths)):
        raise InputError(f"depths: got {depths!r}, expected a 1-D sequence of finite indentation depths")
    out = {}
    for key, model in (("coupled", coupled), ("atomistic", atomistic)):
        t0 = time.perf_counter()
        u, loads = None, []
        for d in depths:
            u = model.relax(indenter, d, u).u
            loads.append(indenter.force(model.reference_positions + u.reshape(-1, 2), d))
        out[key] = (u.reshape(-1, 2), np.array(loads), time.perf_counter() - t0)
    uc, ua = out["coupled"][0], out["atomistic"][0]
    atoms = coupled.is_atom
    diff = uc[atoms] - ua[coupled.sites[atoms]]
    err = float(np.linalg.norm(diff) / np.linalg.norm(ua[coupled.sites[atoms]]))
    dofs_a = 2 * (atomistic.n_nodes - atomistic.fixed_nodes.size)
    return IndentationResult(depths, out["coupled"][1], out["atomistic"][1], uc, ua, err, coupled.n_dofs, dofs_a,
                             out["coupled"][2], out["atomistic"][2], coupled, atomistic)
