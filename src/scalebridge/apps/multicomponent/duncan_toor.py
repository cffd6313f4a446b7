"""Published data of the Duncan & Toor (1962) two-bulb experiment (H2/N2/CO2, 35.2 degC, 1 atm).

Mole fractions measured in the two bulbs, as digitised from Duncan & Toor (1962),
AIChE J. 8, 38, Fig. 3-5 by A. Cuoci (Politecnico di Milano) for his course on
transport phenomena (github.com/acuoci/ATP, ``lectures/diffusion/ExpDuncanToor.exp``);
the experiment is discussed with these data in Taylor & Krishna (1993), Multicomponent
Mass Transfer, ch. 5. Digitisation uncertainty is about +-0.005 in mole fraction. Bulb "H2" is the bulb that starts with H2/N2 (bulb 2 of the shipped
scenario); bulb "CO2" starts with N2/CO2.

Key numbers: the N2 mole fraction in the H2 bulb rises from 0.50 to 0.572 at 3.8 h
(uphill: N2 moves towards the bulb richer in N2) and has fallen to 0.563 by 8 h, so
the diffusion barrier (zero N2 flux with a large N2 gradient) lies before 8 h.
"""

import numpy as np

__all__ = ["TIME_H", "H2_BULB", "CO2_BULB", "SPECIES"]

SPECIES = ("H2", "N2", "CO2")
#: Times of the measurements (h).
TIME_H = np.array([0.0, 3.8, 8.0, 12.0, 16.8])
#: Mole fractions (H2, N2, CO2) in the bulb that starts with H2 and N2.
H2_BULB = np.array([[0.5, 0.5, 0.0], [0.331104, 0.571906, 0.096990], [0.278930, 0.563211, 0.157860],
                    [0.252843, 0.559197, 0.187960], [0.256856, 0.541667, 0.201477]])
#: Mole fractions (H2, N2, CO2) in the bulb that starts with N2 and CO2.
CO2_BULB = np.array([[0.0, 0.5, 0.5], [0.164548, 0.425418, 0.410033], [0.214716, 0.435452, 0.349833],
                     [0.234783, 0.438127, 0.327090], [0.246823, 0.456187, 0.296990]])
