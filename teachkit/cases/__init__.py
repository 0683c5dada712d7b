"""The lecture's case studies, one package each.

Each package (:mod:`teachkit.cases.ozone`, :mod:`teachkit.cases.grants`) holds everything
about its example: data, simulator, models, truth, plots and figures, and defines a subclass
of :class:`teachkit.cases.base.CaseStudy` (the contract every case implements). The registry
that maps a case's name to its case study is :mod:`teachkit.registry`.
"""
