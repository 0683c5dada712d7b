"""Tests for teachkit.plots.graph: the plate diagram as a graph (no 'dot' needed)."""

from __future__ import annotations

import shutil

import pytest

from teachkit.cases.ozone.models import build_ozone_model
from teachkit.plots.graph import model_graph, plot_model_graph, typeset_graph
from teachkit.simulate import simulate_ozone

DATA = simulate_ozone(n_stations=12, n_days=5, rng=0).data


def test_plate_diagram_holds_the_lecture_variables_and_plates() -> None:
    built = build_ozone_model(  # the slides' form
        DATA, "covarying", parameterization="noncentered", likelihood="pointwise"
    )
    source = model_graph(built.model).source
    for name in ("mu_alpha", "mu_beta", "chol_cov", "z", "alpha_beta", "rho", "sigma",
                 "sigma_alpha", "sigma_beta"):  # fmt: skip
        assert f"\t{name} [label=" in source or f"\t\t{name} [label=" in source, name
    assert '"station (12) x effect (2)"' in source
    assert "log_ozone [label=" in source and '"obs (60)"' in source
    teachkit_form = model_graph(build_ozone_model(DATA, "covarying").model).source
    assert "Potential" in teachkit_form  # the sufficient-statistics likelihood


def test_typeset_labels_replace_code_names_and_keep_distributions() -> None:
    model = build_ozone_model(DATA, "covarying", parameterization="noncentered").model
    source = typeset_graph(model_graph(model, ["mu_alpha", "sigma", "alpha"]).source,
                           {"mu_alpha": "μ<SUB>α</SUB>"}, dpi=123)  # fmt: skip
    assert "mu_alpha [label=<μ<SUB>α</SUB><BR/>~ Normal> shape=ellipse]" in source
    assert "sigma [label=<sigma<BR/>~ Halfcauchy>" in source
    assert "graph [dpi=123" in source
    assert "rho" not in source  # only the variables asked for (and what they need)


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot program is not installed")
def test_rendered_plate_diagram(tmp_path) -> None:
    fig = plot_model_graph(build_ozone_model(DATA, "covarying").model, tmp_path,
                           labels={"mu_alpha": "μ<SUB>α</SUB>"})  # fmt: skip
    (ax,) = fig.axes
    assert len(ax.get_images()) == 1
