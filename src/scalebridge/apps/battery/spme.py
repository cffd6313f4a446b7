r"""Reduced cell models: the single-particle model (SPM) and SPM with electrolyte (SPMe).

Both replace the electrode's distribution of particles by one representative particle
per electrode with the uniform interfacial current
:math:`\bar j_n = I/(a_n L_n)`, :math:`\bar j_p = -I/(a_p L_p)` (the leading order of the
DFN model for a small ratio of the discharge to the electrolyte time scale,
[Marquis2019]_):

* solid diffusion, as in the DFN model, in one particle per electrode;
* SPMe only: the electrolyte salt balance with the uniform sources
  :math:`\varepsilon\partial_t c_e = \partial_x(\varepsilon^b D_e(c_e)\partial_x c_e)
  + (1-t^+)\,a\bar j/F` (zero flux at the collectors), and the electrolyte potential
  from the known current :math:`i_e(x)` (``I x/L_n``, ``I``, ``I (L - x)/L_p``):
  :math:`\partial_x\phi_e = -i_e/\kappa_{\rm eff}(c_e) + 2(1-t^+)\mathrm{TDF}\,(RT/F)\,\partial_x\ln c_e`;
* terminal voltage
  :math:`V = U_p(\bar c_{p,\rm surf}) - U_n(\bar c_{n,\rm surf}) + \bar\eta_p - \bar\eta_n
  + (\bar\phi_{e,p} - \bar\phi_{e,n}) - \frac{I}{3}\left(\frac{L_n}{\sigma_n} + \frac{L_p}{\sigma_p}\right)`,
  :math:`\bar\eta = \frac{2RT}{F}\operatorname{asinh}\frac{\bar j}{2 j_0(\bar c_e, \bar c_{s,\rm surf})}`,
  with electrode averages (bars) of ``phi_e`` and ``c_e``; the SPM keeps only
  ``U_p - U_n + eta_p - eta_n`` with ``c_e = c_e0``.

This is the "SPMe" of [Marquis2019]_ in the form reviewed by [Planella2022]_ (nonlinear
transport coefficients kept, averages taken over each electrode). The symmetric
Butler–Volmer inverse needs transfer coefficients of 1/2.

References
----------
.. [Marquis2019] S. G. Marquis, V. Sulzer, R. Timms, C. P. Please, S. J. Chapman,
   J. Electrochem. Soc. 166, A3693 (2019).
.. [Planella2022] F. Brosa Planella, W. Ai, A. M. Boyce, A. Ghosh, I. Korotkin, S. Sahu,
   V. Sulzer, R. Timms, T. G. Tranter, M. Zyskin, S. J. Cooper, J. S. Edge,
   J. M. Foster, M. Marinescu, B. Wu, G. Richardson, "A continuum of physics-based
   lithium-ion battery models reviewed", Prog. Energy 4, 042003 (2022).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from ...core.errors import InputError
from ...laws.electrochemistry import FARADAY, GAS_CONSTANT, value_and_derivative
from .assembly import JacobianPattern
from .base import CellModel
from .dfn import _embed, particle_operator

__all__ = ["SPMe", "SPM"]

F = FARADAY


class SPMe(CellModel):
    """Single-particle model with electrolyte; same API as :class:`~.dfn.DFN`.

    States ``y = [c_s,n (N_r), c_s,p (N_r), c_e (N_x), I]``.
    """

    name = "SPMe"
    electrolyte = True

    def _setup(self):
        m = self.mesh
        en, ep = self.electrode["n"], self.electrode["p"]
        for dom, e in (("Negative", en), ("Positive", ep)):
            if abs(e["alpha"] - 0.5) > 1e-12:
                raise InputError(f"parameters['{dom} electrode charge transfer coefficient']: got {e['alpha']!r}, "
                                 f"expected 0.5 ({self.name} inverts the symmetric Butler-Volmer law)")
        nn, ns, npos, nr = m.negative, m.separator, m.positive, m.particle
        nx = nn + ns + npos
        self.n_x, self.n_r, self.nn = nx, nr, nn
        nce = nx if self.electrolyte else 0
        o = {"cs": 0, "ce": 2 * nr, "I": 2 * nr + nce}
        n = o["I"] + 1
        self.offsets, self.n_states = o, n
        self.sl = {"cs": slice(0, 2 * nr), "ce": slice(o["ce"], o["ce"] + nce)}
        self.layout = {"c_s": self.sl["cs"], "c_e": self.sl["ce"], "I": o["I"]}
        dx = np.concatenate([np.full(nn, en["L"] / nn), np.full(ns, self.L["s"] / ns), np.full(npos, ep["L"] / npos)])
        eps = np.concatenate([np.full(nn, en["eps"]), np.full(ns, self.sep["eps"]), np.full(npos, ep["eps"])])
        brug = np.concatenate([np.full(nn, en["b_e"]), np.full(ns, self.sep["b_e"]), np.full(npos, ep["b_e"])])
        self.dx, self.eps, self.x = dx, eps, np.cumsum(dx) - dx / 2
        B = eps ** brug
        d = 0.5 * (dx[:-1] + dx[1:])
        self.w_left, self.w_right = dx[1:] / (2 * d), dx[:-1] / (2 * d)
        self.B_face = d / (dx[:-1] / (2 * B[:-1]) + dx[1:] / (2 * B[1:]))
        self._grad_d = 1.0 / d
        self.d_face = d
        self.W = 1.0 / (eps * dx)
        faces = np.cumsum(dx)[:-1]
        L = en["L"] + self.L["s"] + ep["L"]
        # i_e / I at the interior faces
        self.ie_shape = np.where(faces <= en["L"], faces / en["L"],
                                 np.where(faces >= L - ep["L"], (L - faces) / ep["L"], 1.0))
        self.ie_shape = np.clip(self.ie_shape, 0.0, 1.0)
        # uniform sources a j dx per unit I
        self.src_I = np.concatenate([dx[:nn] / en["L"], np.zeros(ns), -dx[nn + ns:] / ep["L"]])
        self.j_per_I = np.array([1.0 / (en["a"] * en["L"]), -1.0 / (ep["a"] * ep["L"])])
        self.solid_ohmic = en["L"] / (3 * en["sigma"]) + ep["L"] / (3 * ep["sigma"])
        # particles
        Ln, vol_n, dr_n = particle_operator(en["R"], nr)
        Lp, vol_p, dr_p = particle_operator(ep["R"], nr)
        self.Ls = sparse.block_diag([Ln, Lp], format="csr")
        self.last = np.array([nr - 1, 2 * nr - 1])
        self.R_e = np.array([en["R"], ep["R"]])
        self.bs = -self.R_e ** 2 / (F * np.array([vol_n[-1], vol_p[-1]]))
        self.dr_e = np.array([dr_n, dr_p])
        self.Ds_ref = np.array([en["D_s"], ep["D_s"]])
        self.E_Ds = np.array([en["E_D"], ep["E_D"]])
        self.c_max_e = np.array([en["c_max"], ep["c_max"]])
        self.vol_r = np.concatenate([vol_n, vol_p])
        diff = np.zeros(n, bool)
        diff[: o["I"]] = True
        self.differential = diff
        self.i_1c = self.capacity / self.area
        sc = np.ones(n)
        sc[self.sl["cs"]] = np.repeat(self.c_max_e, nr)
        sc[self.sl["ce"]] = self.c_e0
        sc[o["I"]] = self.i_1c
        self.variable_scale = sc

        # Jacobian terms
        nf = nx - 1
        ident = sparse.identity
        const = _embed(sparse.csr_matrix((self.bs * self.j_per_I, (self.last, [0, 0])), shape=(2 * nr, 1)),
                       0, o["I"], (n, n))
        terms = [(const, ident(n)),
                 (_embed(ident(2 * nr), 0, 0, (n, 2 * nr)), _embed(self.Ls, 0, 0, (2 * nr, n)))]
        if self.electrolyte:
            grad = sparse.diags([-1.0 / d, 1.0 / d], [0, 1], shape=(nf, nx))
            avg = sparse.diags([self.w_left, self.w_right], [0, 1], shape=(nf, nx))
            div = sparse.diags([np.ones(nf), -np.ones(nf)], [0, -1], shape=(nx, nf))
            Wdiv = sparse.diags(self.W) @ div
            const = const + _embed(sparse.csr_matrix((self.W * (1 - self.t_plus) / F * self.src_I)[:, None]),
                                   o["ce"], o["I"], (n, n))
            terms[0] = (const, ident(n))
            terms += [(_embed(Wdiv, o["ce"], 0, (n, nf)), _embed(grad, 0, o["ce"], (nf, n))),
                      (_embed(Wdiv, o["ce"], 0, (n, nf)), _embed(avg, 0, o["ce"], (nf, n)))]
        row_I = sparse.csr_matrix((np.ones(n), (np.full(n, o["I"]), np.arange(n))), shape=(n, n))
        terms += [(row_I, ident(n))]    # control row, entry by entry (current: e_I; voltage: dV/dy)
        self.pattern = JacobianPattern(n, terms)
        self._ones = np.ones(n)
        cumulative = np.tril(np.ones((nx, nx - 1)), -1)        # phi_e = cumulative @ dphi (phi_e[0] = 0)
        self._phi_mean_difference = cumulative[-m.positive:].mean(axis=0) - cumulative[:nn].mean(axis=0)

    def initial_guess(self, T):
        en, ep = self.electrode["n"], self.electrode["p"]
        y = np.zeros(self.n_states)
        y[self.sl["cs"]] = np.repeat([en["c0"], ep["c0"]], self.n_r)
        y[self.sl["ce"]] = self.c_e0
        return y

    def _thermal(self, t):
        """Mean temperature and the coefficients that follow it, recomputed only when it changes."""
        T_cells = self._T_of_t(t)
        cached = getattr(self, "_cache_T", None)
        if cached is None or not (T_cells is self._cache_key or (T_cells == cached).all()):
            T = float(np.mean(T_cells))
            self._cache_key, self._cache_T = T_cells, np.array(T_cells, dtype=float)
            self._cache = dict(T=T, Ds=self.Ds_ref * self.arrhenius(self.E_Ds, T), T_faces=np.full(self.n_x - 1, T),
                               arrD=self.arrhenius(self.E_De, T) * self.B_face,
                               arrK=self.arrhenius(self.E_kappa, T) * self.B_face)
        return self._cache

    def _electrolyte_coefficients(self, ce, th, derivatives=False):
        cf = self.w_left * ce[:-1] + self.w_right * ce[1:]
        if derivatives:
            De, dDe = value_and_derivative(self.D_e, cf, th["T_faces"])
            return De * th["arrD"], dDe * th["arrD"]
        return self.D_e(cf, th["T_faces"]) * th["arrD"], None

    def residual(self, t, y):
        th = self._thermal(t)
        I = y[self.offsets["I"]]
        nr = self.n_r
        f = np.empty(self.n_states)
        dcs = np.repeat(th["Ds"], nr) * (self.Ls @ y[self.sl["cs"]])
        dcs[self.last] += self.bs * self.j_per_I * I
        f[self.sl["cs"]] = dcs
        if self.electrolyte:
            ce = y[self.sl["ce"]]
            kD, _ = self._electrolyte_coefficients(ce, th)
            N = np.zeros(self.n_x + 1)
            N[1:-1] = kD * (ce[:-1] - ce[1:]) * self._grad_d
            f[self.sl["ce"]] = self.W * ((N[:-1] - N[1:]) + (1 - self.t_plus) / F * self.src_I * I)
        mode, value = self.applied(t)
        f[self.offsets["I"]] = I - value / self.area if mode == "current" else self.terminal_voltage(y, t) - value
        return f

    def jacobian(self, t, y):
        th = self._thermal(t)
        parts = [self._ones, np.repeat(th["Ds"], self.n_r)]
        if self.electrolyte:
            ce = y[self.sl["ce"]]
            kD, dkD = self._electrolyte_coefficients(ce, th, derivatives=True)
            parts += [kD, np.diff(ce) * self._grad_d * dkD]
        mode, _ = self.applied(t)
        if mode == "current":
            row = np.zeros(self.n_states)
            row[self.offsets["I"]] = 1.0
        else:
            row = self._voltage_gradient(t, y)
        parts.append(row)
        return self.pattern.matrix(np.concatenate(parts))

    def _voltage_gradient(self, t, y):
        """dV/dy by central differences over the variables V depends on (surface cells, c_e, I)."""
        row = np.zeros(self.n_states)
        cols = np.concatenate([self.last, np.arange(self.offsets["ce"], self.offsets["I"] + 1)])
        for k in cols:  # a handful of columns, only in voltage control
            h = 1e-7 * self.variable_scale[k]
            yp, ym = y.copy(), y.copy()
            yp[k] += h
            ym[k] -= h
            row[k] = (self.terminal_voltage(yp, t) - self.terminal_voltage(ym, t)) / (2 * h)
        return row

    # ------------------------------------------------------------------ outputs
    def current_density(self, y):
        return y[self.offsets["I"]]

    def voltage_components(self, y, t=0.0):
        """Terms of the terminal voltage in V: ``ocv``, ``reaction``, ``electrolyte``, ``solid``."""
        th = self._thermal(t)
        T = th["T"]
        en, ep = self.electrode["n"], self.electrode["p"]
        I = y[self.offsets["I"]]
        j = self.j_per_I * I
        csurf = y[self.last] - self.dr_e / (2 * F * th["Ds"]) * j
        sto = csurf / self.c_max_e
        if self.electrolyte:
            ce = y[self.sl["ce"]]
            nn, npos = self.nn, self.mesh.positive
            ce_n, ce_p = ce[:nn].sum() / nn, ce[-npos:].sum() / npos
        else:
            ce_n = ce_p = self.c_e0
        U = [e["U"](np.asarray(s)) + (T - self.T_ref) * e["dUdT"](np.asarray(s)) for e, s in ((en, sto[0]), (ep, sto[1]))]
        j0n = en["j0"](ce_n, csurf[0], en["c_max"], T)
        j0p = ep["j0"](ce_p, csurf[1], ep["c_max"], T)
        vt2 = 2 * GAS_CONSTANT * T / F
        eta_n = vt2 * np.arcsinh(j[0] / (2 * j0n))
        eta_p = vt2 * np.arcsinh(j[1] / (2 * j0p))
        out = {"ocv": float(U[1] - U[0]), "reaction": float(eta_p - eta_n), "electrolyte": 0.0, "solid": 0.0}
        if self.electrolyte:
            cf = self.w_left * ce[:-1] + self.w_right * ce[1:]
            kK = self.kappa(cf, th["T_faces"]) * th["arrK"]
            nu = 2 * GAS_CONSTANT * T / F * (1 - self.t_plus) * self.tdf
            lnc = np.log(ce)
            dphi = -I * self.ie_shape / kK * self.d_face + nu * (lnc[1:] - lnc[:-1])
            # electrode means of phi_e = cumsum(dphi) (phi_e = 0 in the first cell), as one dot product
            out["electrolyte"] = float(self._phi_mean_difference @ dphi)
            out["solid"] = float(-I * self.solid_ohmic)
        return out

    def terminal_voltage(self, y, t=0.0):
        """Terminal voltage in V (sum of :meth:`voltage_components`)."""
        return sum(self.voltage_components(y, t).values())

    def solution_particle_concentration(self, sol):
        """c_s in mol/m^3, shape (2, N_r, P): the negative and the positive particle."""
        return sol.states[self.sl["cs"]].reshape(2, self.n_r, -1)

    def solution_electrolyte_concentration(self, sol):
        """c_e in mol/m^3, shape (N_x, P) (SPMe)."""
        return sol.states[self.sl["ce"]]

    def solution_lithium_inventory(self, sol):
        """Moles of lithium per m^2 of electrode: ``solid``, ``electrolyte``, ``total``."""
        en, ep = self.electrode["n"], self.electrode["p"]
        cs = sol.states[self.sl["cs"]].reshape(2, self.n_r, -1)
        vol = self.vol_r.reshape(2, self.n_r)
        frac = (np.array([en["eps_s"] * en["L"], ep["eps_s"] * ep["L"]]) * 3 / self.R_e ** 3)[:, None] * vol
        solid = np.einsum("er,erp->p", frac, cs)
        electrolyte = (self.eps * self.dx) @ sol.states[self.sl["ce"]] if self.electrolyte else \
            np.full(sol.t.size, self.c_e0 * float(self.eps @ self.dx))
        return {"solid": solid, "electrolyte": electrolyte, "total": solid + electrolyte}


class SPM(SPMe):
    """Single-particle model (no electrolyte dynamics); same API as :class:`~.dfn.DFN`.

    States ``y = [c_s,n (N_r), c_s,p (N_r), I]``.
    """

    name = "SPM"
    electrolyte = False
