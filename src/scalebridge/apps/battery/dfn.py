r"""The Doyle–Fuller–Newman (pseudo-two-dimensional, P2D) model of a lithium-ion cell.

Equations (1-D across negative electrode ``n``, separator ``s``, positive electrode ``p``;
``x`` from the negative to the positive current collector; ``r`` the radius in a
particle; cell current density ``I`` positive on discharge) [Doyle1993]_, [Marquis2019]_:

* solid diffusion in a spherical particle at every ``x`` of an electrode
  :math:`\partial_t c_s = r^{-2}\partial_r(r^2 D_s \partial_r c_s)`,
  :math:`\partial_r c_s(0) = 0`, :math:`-D_s\partial_r c_s(R) = j/F`;
* electrolyte salt balance with concentrated-solution flux (constant ``t+``)
  :math:`\varepsilon\partial_t c_e = \partial_x(\varepsilon^{b} D_e(c_e)\partial_x c_e)
  + (1 - t^+)\, a j / F`, zero flux at both current collectors;
* charge in the electrolyte
  :math:`\partial_x i_e = a j`, :math:`i_e = -\kappa_{\rm eff}\left[\partial_x\phi_e
  - 2(1-t^+)\,\mathrm{TDF}\,\frac{RT}{F}\partial_x\ln c_e\right]`,
  :math:`\kappa_{\rm eff} = \varepsilon^b \kappa(c_e)`, ``i_e = 0`` at the collectors;
* charge in the solid :math:`\partial_x i_s = -a j`, :math:`i_s = -\sigma_{\rm eff}\partial_x\phi_s`,
  ``i_s = I`` at both current collectors, ``i_s = 0`` at the separator;
* Butler–Volmer kinetics
  :math:`j = j_0\left[e^{\alpha F\eta/RT} - e^{-(1-\alpha)F\eta/RT}\right]`,
  :math:`\eta = \phi_s - \phi_e - U(c_{s,\rm surf}/c_{\max}, T)`,
  :math:`j_0 = m\,c_e^{1/2}c_{s,\rm surf}^{1/2}(c_{\max}-c_{s,\rm surf})^{1/2}`, ``a = 3 eps_s / R``;
* terminal voltage :math:`V = \phi_s(L) - \phi_s(0)` (ground ``phi_s(0) = 0``).

Discretisation: cell-centred finite volumes, uniform in each region and in each particle
(as PyBaMM's default mesh); face values of ``c_e`` by linear interpolation, effective
transport coefficients ``eps^b`` by harmonic means across region interfaces; particle
surface concentration by the flux-consistent extrapolation
``c_surf = c_N - (dr/2) j / (F D_s)``. The interfacial current of an electrode cell is
defined as the discrete divergence of the solid current,
``a_i j_i dx_i = i_s(x_{i-1/2}) - i_s(x_{i+1/2})``, which telescopes to exactly ``I``
over each electrode, so lithium (solid + electrolyte) is conserved to round-off by the
discrete equations *and* by the BDF integrator (a linear invariant), whatever the
Newton tolerance. The redundant electrolyte charge balance of the first cell is
replaced by the ground condition. States (index-1 DAE ``M y' = f``):

``y = [c_s (N_n + N_p particles x N_r), c_e (N_x), phi_e (N_x), phi_s (N_n + N_p), I]``

with ``I`` the current density (A/m^2): an algebraic unknown fixed by ``I = I_app(t)``
(current control) or ``V = V_app(t)`` (voltage control). The Jacobian is analytic and
sparse, assembled by one sparse mat-vec (:class:`~.assembly.JacobianPattern`); the
integrator's Newton matrices are factorised after an exact static condensation of the
particle unknowns (:class:`~.assembly.ParticleCondensation`: SuperLU on the 161
x-unknowns instead of 961 states at the default mesh).

Heat sources (W/m^3 per x-cell, for an energy balance) [Bernardi1985]_:
ohmic in the solid ``i_s^2/sigma_eff``, ohmic in the electrolyte ``-i_e d phi_e/dx``,
irreversible ``a j eta``, reversible ``a j T dU/dT``.

References
----------
.. [Doyle1993] M. Doyle, T. F. Fuller, J. Newman, J. Electrochem. Soc. 140, 1526 (1993).
.. [Marquis2019] S. G. Marquis, V. Sulzer, R. Timms, C. P. Please, S. J. Chapman,
   "An asymptotic derivation of a single particle model with electrolyte",
   J. Electrochem. Soc. 166, A3693 (2019).
.. [Chen2020] C.-H. Chen et al., J. Electrochem. Soc. 167, 080534 (2020).
.. [Bernardi1985] D. Bernardi, E. Pawlikowski, J. Newman, J. Electrochem. Soc. 132, 5 (1985).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from ...laws.electrochemistry import FARADAY, GAS_CONSTANT, value_and_derivative
from .assembly import JacobianPattern, ParticleCondensation
from .base import CellModel

__all__ = ["DFN"]

F = FARADAY


def _embed(block, rows, cols, shape):
    """Place a sparse block at (row offset, col offset) of a matrix of ``shape``."""
    block = sparse.coo_matrix(block)
    return sparse.csr_matrix((block.data, (block.row + rows, block.col + cols)), shape=shape)


def particle_operator(radius, n):
    """Unit-diffusivity FV operator of a sphere (uniform mesh) and its surface data.

    Returns ``(L, volumes, dr)`` with ``dc/dt = D L c`` for zero surface flux.
    """
    dr = radius / n
    faces = np.arange(n + 1) * dr
    vol = (faces[1:] ** 3 - faces[:-1] ** 3) / 3.0
    t = faces[1:-1] ** 2 / dr                      # interior face transmissibilities
    main = -(np.concatenate(([0.0], t)) + np.concatenate((t, [0.0]))) / vol
    L = sparse.diags([t / vol[1:], main, t / vol[:-1]], [-1, 0, 1], format="csr")
    return L, vol, dr


class DFN(CellModel):
    """Doyle–Fuller–Newman model; ``DFN(parameters, mesh).solve(profile, t_eval, temperature=...)``.

    Parameters
    ----------
    parameters : dict or str
        A parameter set (keys with units), e.g. ``parameter_set("Chen2020")``, or its name.
    mesh : Mesh, optional
        Cells per region and per particle (default 20/20/20, 20: 961 states).
    """

    name = "DFN"

    # ------------------------------------------------------------------ layout and operators
    def _setup(self):
        m = self.mesh
        nn, ns, npos, nr = m.negative, m.separator, m.positive, m.particle
        en, ep = self.electrode["n"], self.electrode["p"]
        nx = nn + ns + npos
        ne = nn + npos
        self.n_x, self.n_e, self.n_r = nx, ne, nr
        o = {}
        o["cs"] = 0
        o["ce"] = ne * nr
        o["pe"] = o["ce"] + nx
        o["ps"] = o["pe"] + nx
        o["I"] = o["ps"] + ne
        n = o["I"] + 1
        self.offsets, self.n_states = o, n
        self.sl = {k: slice(o[k], o[k] + s) for k, s in (("cs", ne * nr), ("ce", nx), ("pe", nx), ("ps", ne))}
        self.layout = {"c_s": self.sl["cs"], "c_e": self.sl["ce"], "phi_e": self.sl["pe"],
                       "phi_s": self.sl["ps"], "I": o["I"]}

        # x mesh
        dx = np.concatenate([np.full(nn, en["L"] / nn), np.full(ns, self.L["s"] / ns), np.full(npos, ep["L"] / npos)])
        eps = np.concatenate([np.full(nn, en["eps"]), np.full(ns, self.sep["eps"]), np.full(npos, ep["eps"])])
        brug = np.concatenate([np.full(nn, en["b_e"]), np.full(ns, self.sep["b_e"]), np.full(npos, ep["b_e"])])
        self.dx, self.eps = dx, eps
        self.x = np.cumsum(dx) - dx / 2
        self.region = np.array(["n"] * nn + ["s"] * ns + ["p"] * npos)
        B = eps ** brug
        d = 0.5 * (dx[:-1] + dx[1:])
        self.d_face = d
        self.w_left = dx[1:] / (2 * d)
        self.w_right = dx[:-1] / (2 * d)
        self.B_face = d / (dx[:-1] / (2 * B[:-1]) + dx[1:] / (2 * B[1:]))
        nf = nx - 1
        grad_l = sparse.csr_matrix((-1.0 / d, (np.arange(nf), np.arange(nf))), shape=(nf, nx))
        grad_r = sparse.csr_matrix((1.0 / d, (np.arange(nf), np.arange(1, nx))), shape=(nf, nx))
        avg = sparse.csr_matrix((np.concatenate([self.w_left, self.w_right]),
                                 (np.tile(np.arange(nf), 2), np.concatenate([np.arange(nf), np.arange(1, nx)]))),
                                shape=(nf, nx))
        div = sparse.csr_matrix((np.concatenate([np.ones(nf), -np.ones(nf)]),
                                 (np.concatenate([np.arange(nf), np.arange(1, nx)]), np.tile(np.arange(nf), 2))),
                                shape=(nx, nf))
        self.W = 1.0 / (eps * dx)

        # electrode cells
        self.xe = np.concatenate([np.arange(nn), np.arange(nn + ns, nx)])
        a = np.concatenate([np.full(nn, en["a"]), np.full(npos, ep["a"])])
        dxe = dx[self.xe]
        self.a_e = a
        sigma = np.concatenate([np.full(nn, en["sigma"]), np.full(npos, ep["sigma"])])
        self.sigma_e = sigma
        # solid face currents: i_s = Fphi phi_s + fI I ; faces of n: 0..nn, of p: 0..npos
        rows, cols, vals = [], [], []
        fI = []
        for start, count, coll_face in ((0, nn, 0), (nn, npos, npos)):
            s = sigma[start]
            h = dxe[start]
            k = np.arange(1, count)
            # face k between local cells k-1 and k (global face index start + k + offset)
            base = start + (0 if start == 0 else 1)   # face numbering: n faces 0..nn, p faces nn+1..nn+npos+1
            rows += [base + k, base + k]
            cols += [start + k, start + k - 1]
            vals += [np.full(k.size, -s / h), np.full(k.size, s / h)]
            f = np.zeros(count + 1)
            f[coll_face] = 1.0
            fI.append(f)
        n_faces = ne + 2
        Fphi = sparse.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                                 shape=(n_faces, ne))
        fI = np.concatenate(fI)
        # a j dx = i_s(left face) - i_s(right face)
        left = np.concatenate([np.arange(nn), nn + 1 + np.arange(npos)])
        Dsol = sparse.csr_matrix((np.concatenate([np.ones(ne), -np.ones(ne)]),
                                  (np.tile(np.arange(ne), 2), np.concatenate([left, left + 1]))), shape=(ne, n_faces))
        scale_j = sparse.diags(1.0 / (a * dxe))
        G = scale_j @ Dsol @ Fphi
        g = scale_j @ (Dsol @ fI)
        self.Fphi, self.fI = Fphi, fI
        GI = sparse.hstack([sparse.csr_matrix((ne, o["ps"])), G, sparse.csr_matrix(g[:, None])]).tocsr()
        self.GI = GI                               # j = GI @ y  (A/m^2)
        self.G_dense = G.toarray()
        self.g = g
        self.src = a * dxe                         # a dx per electrode cell

        # particles: the operator of a sphere of radius R is L_unit / R^2 (uniform mesh)
        _, vol_n, dr_n = particle_operator(en["R"], nr)
        _, vol_p, dr_p = particle_operator(ep["R"], nr)
        L_unit, vol_unit, _ = particle_operator(1.0, nr)
        self.L_unit_T = L_unit.toarray().T.copy()
        R_e = np.concatenate([np.full(nn, en["R"]), np.full(npos, ep["R"])])
        Ls = sparse.kron(sparse.diags(1.0 / R_e ** 2), L_unit, format="csr")
        self.last = np.arange(ne) * nr + nr - 1
        vlast = np.concatenate([np.full(nn, vol_n[-1]), np.full(npos, vol_p[-1])])
        self.bs = -R_e ** 2 / (F * vlast)          # d c_last/dt += bs * j
        self.dr_e = np.concatenate([np.full(nn, dr_n), np.full(npos, dr_p)])
        self.Ds_ref = np.concatenate([np.full(nn, en["D_s"]), np.full(npos, ep["D_s"])])
        self.E_Ds = np.concatenate([np.full(nn, en["E_D"]), np.full(npos, ep["E_D"])])
        self.vol_r = np.concatenate([np.tile(vol_n, nn), np.tile(vol_p, npos)])
        self.R_e = R_e
        self.c_max_e = np.concatenate([np.full(nn, en["c_max"]), np.full(npos, ep["c_max"])])
        self.alpha_e = np.concatenate([np.full(nn, en["alpha"]), np.full(npos, ep["alpha"])])
        self.nn = nn

        # ground row and voltage row
        self.ground_I = dxe[0] / (2 * sigma[0])
        self.volt_I = -dxe[-1] / (2 * sigma[-1]) - dxe[0] / (2 * sigma[0])

        # differential mask, variable scales
        diff = np.zeros(n, bool)
        diff[self.sl["cs"]] = True
        diff[self.sl["ce"]] = True
        self.differential = diff
        self.i_1c = self.capacity / self.area       # A/m^2 of 1C (per hour)
        sc = np.ones(n)
        sc[self.sl["cs"]] = np.repeat(self.c_max_e, nr)
        sc[self.sl["ce"]] = self.c_e0
        sc[o["I"]] = self.i_1c
        self.variable_scale = sc

        # --- Jacobian terms: J = sum L diag(v) R
        def rows_of(key, size):
            return _embed(sparse.identity(size), o[key], 0, (n, size))

        def cols_of(mat, key):
            return _embed(mat, 0, o[key], (mat.shape[0], n))

        I_Q = rows_of("ps", ne)
        sel_e = sparse.csr_matrix((np.ones(ne), (np.arange(ne), self.xe)), shape=(ne, nx))
        Sl = sparse.csr_matrix((np.ones(ne), (np.arange(ne), self.last)), shape=(ne, ne * nr))
        Bs = sparse.csr_matrix((self.bs, (self.last, np.arange(ne))), shape=(ne * nr, ne))
        Src = sparse.csr_matrix((self.src, (self.xe, np.arange(ne))), shape=(nx, ne))
        div0 = div.tolil()
        div0[0, :] = 0
        div0 = div0.tocsr()
        Src0 = Src.tolil()
        Src0[0, :] = 0
        Src0 = Src0.tocsr()
        self.div = div
        W = sparse.diags(self.W)
        Rq = (cols_of(sparse.identity(ne), "ps") - cols_of(sel_e, "pe")).tocsr()
        const = (_embed(Bs @ GI, o["cs"], 0, (n, n))
                 + _embed(W @ Src @ GI * ((1 - self.t_plus) / F), o["ce"], 0, (n, n))
                 - _embed(Src0 @ GI, o["pe"], 0, (n, n))
                 + _embed(GI, o["ps"], 0, (n, n))
                 + _embed(sparse.csr_matrix(([1.0, self.ground_I], ([0, 0], [o["ps"], o["I"]])), shape=(1, n)),
                          o["pe"], 0, (n, n)))
        v_row = sparse.csr_matrix(([1.0, -1.0, self.volt_I], ([0, 0, 0], [o["ps"] + ne - 1, o["ps"], o["I"]])),
                                  shape=(1, n))
        e_I = _embed(sparse.identity(1), o["I"], 0, (n, 1))
        terms = [
            (const, sparse.identity(n)),                                   # 0 constant
            (rows_of("cs", ne * nr), cols_of(Ls, "cs")),                   # 1 solid diffusion (D_s per row)
            (_embed(W @ div, o["ce"], 0, (n, nf)), cols_of(grad_l + grad_r, "ce")),   # 2 D_eff
            (_embed(W @ div, o["ce"], 0, (n, nf)), cols_of(avg, "ce")),    # 3 dD_eff/dc
            (_embed(-div0, o["pe"], 0, (n, nf)), cols_of(grad_l + grad_r, "pe")),     # 4 kappa_eff
            (_embed(-div0, o["pe"], 0, (n, nf)), cols_of(avg, "ce")),      # 5 dkappa/dc
            (_embed(div0, o["pe"], 0, (n, nf)), cols_of(grad_l, "ce")),    # 6 diffusion potential (left)
            (_embed(div0, o["pe"], 0, (n, nf)), cols_of(grad_r, "ce")),    # 7 diffusion potential (right)
            (I_Q, Rq),                                                     # 8 -j0 h' (phi_s, phi_e)
            (I_Q, cols_of(Sl, "cs")),                                      # 9 -K_s (c_s last)
            (I_Q, GI),                                                     # 10 -K_s delta (through j)
            (I_Q, cols_of(sel_e, "ce")),                                   # 11 -dj0/dce h
            (e_I, e_I.T),                                                  # 12 current control
            (e_I, v_row),                                                  # 13 voltage control
        ]
        self.pattern = JacobianPattern(n, terms)
        self.linear_solver = ParticleCondensation(self.pattern, diff, ne, nr, L_unit, vol_unit).factorise
        self._ones = np.ones(n)
        self._grad_d = 1.0 / d
        self._G_aug = np.hstack([self.G_dense, g[:, None]])
        self._gather = np.concatenate([self.last, o["ce"] + self.xe, o["pe"] + self.xe])
        self._scatter = np.stack([self.last, o["ce"] + self.xe, o["pe"] + self.xe])
        self._scatter_coefficients = np.stack([self.bs, self.W[self.xe] * (1 - self.t_plus) / F * self.src,
                                               -self.src])
        self._face_buffer = np.zeros(nx + 1)       # face fluxes with the zero-flux boundaries
        self._face_buffer2 = np.zeros(nx + 1)

    def initial_guess(self, T):
        """Uniform concentrations of the parameter set, potentials at open circuit (guess)."""
        ne, nr = self.n_e, self.n_r
        en, ep = self.electrode["n"], self.electrode["p"]
        y = np.zeros(self.n_states)
        c0 = np.concatenate([np.full(self.nn, en["c0"]), np.full(ne - self.nn, ep["c0"])])
        y[self.sl["cs"]] = np.repeat(c0, nr)
        y[self.sl["ce"]] = self.c_e0
        Un = float(en["U"](np.asarray(en["c0"] / en["c_max"])))
        Up = float(ep["U"](np.asarray(ep["c0"] / ep["c_max"])))
        y[self.sl["pe"]] = -Un
        y[self.sl["ps"]] = np.concatenate([np.zeros(self.nn), np.full(ne - self.nn, Up - Un)])
        return y

    # ------------------------------------------------------------------ physics
    def _thermal(self, T):
        """Temperature-dependent coefficients, recomputed only when the temperatures change."""
        cached = getattr(self, "_cache_T", None)
        if cached is not None and (T is self._cache_key or (T == cached).all()):
            return self._cache
        key, T = T, np.array(T, dtype=float)
        Tf = self.w_left * T[:-1] + self.w_right * T[1:]
        Te = T[self.xe]
        Ds = self.Ds_ref * self.arrhenius(self.E_Ds, Te)
        nn = self.nn
        fT = F / (GAS_CONSTANT * Te)
        arrD = self.arrhenius(self.E_De, Tf) * self.B_face
        arrK = self.arrhenius(self.E_kappa, Tf) * self.B_face
        c = dict(Tf=Tf, Te=Te, arrD=arrD, arrK=arrK, Ds_rows=np.repeat(Ds, self.n_r),
                 kappa_column=(Ds / self.R_e ** 2)[:, None], delta=-self.dr_e / (2 * F * Ds),
                 nu=2 * GAS_CONSTANT * Tf / F * (1 - self.t_plus) * self.tdf,
                 arrD_grad=arrD * self._grad_d, arrK_grad=arrK * self._grad_d,
                 anodic=self.alpha_e * fT, cathodic=(self.alpha_e - 1) * fT,
                 Te_n=Te[:nn], Te_p=Te[nn:], dT=Te - self.T_ref, entropic=bool(np.any(Te != self.T_ref)))
        self._cache_key, self._cache_T, self._cache = key, T, c
        return c

    def _fields(self, t, y):
        """Fields of the outputs (currents, overpotentials, heat sources), vectorised over cells."""
        nn = self.nn
        T = self._T_of_t(t)
        th = self._thermal(T)
        Tf, Te, delta = th["Tf"], th["Te"], th["delta"]
        ce = y[self.sl["ce"]]
        pe = y[self.sl["pe"]]
        ps = y[self.sl["ps"]]
        I = y[self.offsets["I"]]
        j = self.G_dense @ ps + self.g * I
        cf = self.w_left * ce[:-1] + self.w_right * ce[1:]
        csurf = y[self.last] + delta * j
        sto = csurf / self.c_max_e
        U = np.empty(self.n_e)
        for dom, sl in (("n", slice(0, nn)), ("p", slice(nn, None))):
            e = self.electrode[dom]
            U[sl] = e["U"](sto[sl]) + (Te[sl] - self.T_ref) * e["dUdT"](sto[sl])
        eta = ps - pe[self.xe] - U
        return dict(T=T, Tf=Tf, Te=Te, ce=ce, pe=pe, ps=ps, I=I, j=j, csurf=csurf, eta=eta,
                    kK=self.kappa(cf, Tf) * th["arrK"])

    def residual(self, t, y):
        """``f(t, y)`` of ``M y' = f``: rates on differential rows, residuals on algebraic rows.

        The solver's hot path: the parameter functions are called once per electrode on
        whole arrays, everything else is a few fused NumPy expressions on views of ``y``
        (one gather of the electrode-cell values, one scatter of the reaction sources).
        """
        th = self._thermal(self._T_of_t(t))
        o, sl, nn, ne = self.offsets, self.sl, self.nn, self.n_e
        en, ep = self.electrode["n"], self.electrode["p"]
        f = np.empty(self.n_states)
        ce, pe, I = y[sl["ce"]], y[sl["pe"]], y[o["I"]]
        j = self._G_aug @ y[o["ps"]:]                       # j = G phi_s + g I
        gathered = y[self._gather]                          # c_s at the surface cells, c_e and phi_e at x_e
        csurf = gathered[:ne] + th["delta"] * j
        ce_e = gathered[ne: 2 * ne]
        sto = csurf / self.c_max_e
        U = np.concatenate([en["U"](sto[:nn]), ep["U"](sto[nn:])])
        if th["entropic"]:
            U += th["dT"] * np.concatenate([en["dUdT"](sto[:nn]), ep["dUdT"](sto[nn:])])
        j0 = np.concatenate([en["j0"](ce_e[:nn], csurf[:nn], en["c_max"], th["Te_n"]),
                             ep["j0"](ce_e[nn:], csurf[nn:], ep["c_max"], th["Te_p"])])
        eta = y[sl["ps"]] - gathered[2 * ne:] - U
        f[sl["ps"]] = j - j0 * (np.exp(th["anodic"] * eta) - np.exp(th["cathodic"] * eta))
        # particles: dc/dt = kappa_i L_unit c (kappa = D_s/R^2)
        dcs = f[sl["cs"]].reshape(ne, self.n_r)
        np.matmul(y[sl["cs"]].reshape(ne, self.n_r), self.L_unit_T, out=dcs)
        dcs *= th["kappa_column"]
        # electrolyte salt and charge
        cf = self.w_left * ce[:-1] + self.w_right * ce[1:]
        N = self._face_buffer
        N[1:-1] = self.D_e(cf, th["Tf"]) * th["arrD_grad"] * (ce[:-1] - ce[1:])
        np.multiply(self.W, N[:-1] - N[1:], out=f[sl["ce"]])
        lnc = np.log(ce)
        ie = self._face_buffer2
        ie[1:-1] = self.kappa(cf, th["Tf"]) * th["arrK_grad"] * ((pe[:-1] - pe[1:]) - th["nu"] * (lnc[:-1] - lnc[1:]))
        np.subtract(ie[1:], ie[:-1], out=f[sl["pe"]])
        # reaction sources: particle surface flux, salt source, divergence of i_e
        f[self._scatter] += self._scatter_coefficients * j
        f[o["pe"]] = y[o["ps"]] + self.ground_I * I     # ground: replaces the redundant first charge balance
        # control
        mode, value = self.applied(t)
        f[o["I"]] = I - value / self.area if mode == "current" else self.terminal_voltage(y) - value
        return f

    def jacobian(self, t, y):
        """Analytic sparse ``df/dy`` (CSC), by one mat-vec on the precomputed pattern.

        Derivatives of the parameter functions by complex step
        (:func:`~scalebridge.laws.electrochemistry.value_and_derivative`), once per
        electrode on whole arrays.
        """
        th = self._thermal(self._T_of_t(t))
        o, sl, nn = self.offsets, self.sl, self.nn
        ce, pe, ps, I = y[sl["ce"]], y[sl["pe"]], y[sl["ps"]], y[o["I"]]
        j = self.G_dense @ ps + self.g * I
        csurf = y[self.last] + th["delta"] * j
        sto = csurf / self.c_max_e
        ce_e = ce[self.xe]
        parts = []
        for dom, s, Te in (("n", slice(0, nn), th["Te_n"]), ("p", slice(nn, None), th["Te_p"])):
            e = self.electrode[dom]
            U, dU = value_and_derivative(e["U"], sto[s])
            j0, dj0_ce = value_and_derivative(e["j0"], ce_e[s], csurf[s], e["c_max"], Te)
            _, dj0_cs = value_and_derivative(e["j0"], csurf[s], ce_e[s], e["c_max"], Te, argument=1)
            parts.append((U, dU, j0, dj0_ce, dj0_cs))
        U, dU, j0, dj0_ce, dj0_cs = (np.concatenate(v) for v in zip(*parts))
        if th["entropic"]:
            U += th["dT"] * np.concatenate([self.electrode["n"]["dUdT"](sto[:nn]),
                                            self.electrode["p"]["dUdT"](sto[nn:])])
        eta = ps - pe[self.xe] - U
        ea = np.exp(th["anodic"] * eta)
        ec = np.exp(th["cathodic"] * eta)
        h = ea - ec
        jdh = j0 * (th["anodic"] * ea - th["cathodic"] * ec)
        Ks = dj0_cs * h - jdh * dU / self.c_max_e
        cf = self.w_left * ce[:-1] + self.w_right * ce[1:]
        De, dDe = value_and_derivative(self.D_e, cf, th["Tf"])
        ka, dka = value_and_derivative(self.kappa, cf, th["Tf"])
        kK = ka * th["arrK"]
        nu = th["nu"]
        lnc = np.log(ce)
        current = self._segment.mode == "current"
        values = np.concatenate([
            self._ones,
            th["Ds_rows"],
            De * th["arrD"],
            (ce[1:] - ce[:-1]) * self._grad_d * dDe * th["arrD"],
            kK,
            ((pe[1:] - pe[:-1]) - nu * (lnc[1:] - lnc[:-1])) * self._grad_d * dka * th["arrK"],
            kK * nu / ce[:-1],
            kK * nu / ce[1:],
            -jdh,
            -Ks,
            -Ks * th["delta"],
            -dj0_ce * h,
            [1.0 if current else 0.0],
            [0.0 if current else 1.0],
        ])
        return self.pattern.matrix(values)

    # ------------------------------------------------------------------ outputs
    def current_density(self, y):
        """Cell current density in A/m^2 (positive on discharge); ``y`` may be (n,) or (n, P)."""
        return y[self.offsets["I"]]

    def terminal_voltage(self, y, t=0.0):
        """V = phi_s(L) - phi_s(0) in V, from the solid potentials extrapolated to the collectors."""
        ps = y[self.sl["ps"]]
        I = y[self.offsets["I"]]
        return ps[-1] - ps[0] + self.volt_I * I

    # fields of a CellSolution (solution.<name>)
    def solution_electrolyte_concentration(self, sol):
        """c_e in mol/m^3, shape (N_x, P), at the cell centres ``model.x``."""
        return sol.states[self.sl["ce"]]

    def solution_electrolyte_potential(self, sol):
        """phi_e in V, shape (N_x, P)."""
        return sol.states[self.sl["pe"]]

    def solution_solid_potential(self, sol):
        """phi_s in V at the electrode cells (negative then positive), shape (N_n + N_p, P)."""
        return sol.states[self.sl["ps"]]

    def solution_particle_concentration(self, sol):
        """c_s in mol/m^3, shape (N_n + N_p, N_r, P) (cell centres of each particle)."""
        return sol.states[self.sl["cs"]].reshape(self.n_e, self.n_r, -1)

    def solution_interfacial_current(self, sol):
        """j in A/m^2 at the electrode cells, shape (N_n + N_p, P)."""
        return self.GI @ sol.states

    def solution_lithium_inventory(self, sol):
        """Moles of lithium per m^2 of electrode: dict of ``solid``, ``electrolyte``, ``total``, shape (P,)."""
        cs = sol.states[self.sl["cs"]].reshape(self.n_e, self.n_r, -1)
        eps_s = np.concatenate([np.full(self.nn, self.electrode["n"]["eps_s"]),
                                np.full(self.n_e - self.nn, self.electrode["p"]["eps_s"])])
        vol = self.vol_r.reshape(self.n_e, self.n_r)
        frac = (eps_s * self.dx[self.xe] * 3 / self.R_e ** 3)[:, None] * vol
        solid = np.einsum("er,erp->p", frac, cs)
        electrolyte = (self.eps * self.dx) @ sol.states[self.sl["ce"]]
        return {"solid": solid, "electrolyte": electrolyte, "total": solid + electrolyte}

    def solution_electrolyte_current(self, sol):
        """i_e in A/m^2 at the interior faces (N_x - 1, P), positions ``model.x_faces``."""
        out = np.empty((self.n_x - 1, sol.t.size))
        for k in range(sol.t.size):  # outputs only, not the solver's hot path
            q = self._fields(sol.t[k], sol.states[:, k])
            nu = 2 * GAS_CONSTANT * q["Tf"] / F * (1 - self.t_plus) * self.tdf
            out[:, k] = -q["kK"] * (np.diff(q["pe"]) - nu * np.diff(np.log(q["ce"]))) * self._grad_d
        return out

    @property
    def x_faces(self):
        """Positions of the interior faces of the x mesh in m."""
        return np.cumsum(self.dx)[:-1]

    @property
    def separator_faces(self):
        """Indices of the interior faces that bound separator cells on both sides (or touch it)."""
        f = np.arange(self.n_x - 1)
        return f[(self.region[f] == "s") | (self.region[f + 1] == "s")]

    def solution_heat_sources(self, sol):
        """Heat sources in W/m^3 per x-cell, shape (N_x, P) each [Bernardi1985]_.

        Returns a dict: ``ohmic_solid`` (i_s^2/sigma_eff), ``ohmic_electrolyte``
        (-i_e dphi_e/dx, averaged from the faces), ``irreversible`` (a j eta),
        ``reversible`` (a j T dU/dT), ``total``, and ``total_per_area`` (W/m^2 of
        electrode, the x-integral) and ``total_power`` (W for the whole cell).
        """
        P = sol.t.size
        nx = self.n_x
        Qs, Qe, Qi, Qr = (np.zeros((nx, P)) for _ in range(4))
        for k in range(P):  # outputs only
            t, y = sol.t[k], sol.states[:, k]
            self._T_of_t = sol.temperature
            q = self._fields(t, y)
            nu = 2 * GAS_CONSTANT * q["Tf"] / F * (1 - self.t_plus) * self.tdf
            gp = np.diff(q["pe"]) * self._grad_d
            ie = -q["kK"] * (gp - nu * np.diff(np.log(q["ce"])) * self._grad_d)
            face_heat = -ie * gp
            qe = np.zeros(nx)
            qe[:-1] += 0.5 * face_heat
            qe[1:] += 0.5 * face_heat
            Qe[:, k] = qe
            i_s = self.Fphi @ q["ps"] + self.fI * q["I"]
            nn = self.nn
            faces_n, faces_p = i_s[: nn + 1], i_s[nn + 1:]
            is_cell = np.concatenate([0.5 * (faces_n[:-1] + faces_n[1:]), 0.5 * (faces_p[:-1] + faces_p[1:])])
            Qs[self.xe, k] = is_cell ** 2 / self.sigma_e
            Qi[self.xe, k] = self.a_e * q["j"] * q["eta"]
            dudt = np.concatenate([self.electrode["n"]["dUdT"](q["csurf"][:nn] / self.c_max_e[:nn]),
                                   self.electrode["p"]["dUdT"](q["csurf"][nn:] / self.c_max_e[nn:])])
            Qr[self.xe, k] = self.a_e * q["j"] * q["Te"] * dudt
        total = Qs + Qe + Qi + Qr
        per_area = self.dx @ total
        return {"ohmic_solid": Qs, "ohmic_electrolyte": Qe, "irreversible": Qi, "reversible": Qr,
                "total": total, "total_per_area": per_area, "total_power": per_area * self.area}
