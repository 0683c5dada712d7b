"""The interactive explorer: the lecture's ideas on sliders, in one offline web page.

:func:`build_explorer` writes a single self-contained HTML file (Bokeh, inline resources, no
server, nothing loaded from the network) with six tabs:

1. the LKJ prior: eta and the dimension against one correlation's histogram and exact density;
2. the bivariate normal: sigma_a, sigma_b, rho, the draws, ellipses and marginals;
3. invalid correlation matrices: three correlations, validity, and each entry's interval;
4. partial pooling: rows per group (days per station) and the hyperparameters against the
   shrinkage;
5. the real posterior: a fit of the covarying model, embedded at build time
   (:class:`RealPosterior`, made by :func:`posterior_from_idata`);
6. a Gaussian process over the 12 Beijing stations: sigma_gp, ell and the kernel family
   against the kernel, the stations' correlations on the map and a draw of their baselines.

Tabs 4 and 5 also work on a user's own table (:func:`build_grouped_explorer`, ``teachkit
explorer --case grouped``), in its own column and group names; tab 6 then says it needs
coordinates. The maths that reacts to the sliders is JavaScript in ``teachkit/explorer/js``.
"""

from teachkit.explorer.build import DEFAULT_OUT, build_explorer, explorer_document, explorer_html
from teachkit.explorer.grouped import build_grouped_explorer, posterior_from_grouped
from teachkit.explorer.labels import Labels
from teachkit.explorer.pooling_data import PoolingData, grouped_pooling_data, pooling_data
from teachkit.explorer.posterior import RealPosterior, posterior_from_idata

__all__ = [
    "DEFAULT_OUT",
    "Labels",
    "PoolingData",
    "RealPosterior",
    "build_explorer",
    "build_grouped_explorer",
    "explorer_document",
    "explorer_html",
    "grouped_pooling_data",
    "pooling_data",
    "posterior_from_grouped",
    "posterior_from_idata",
]
