# Recipe "add a model to a case": the builder and one record, in the case's models.py.


def build_known_scale(data: pd.DataFrame) -> BuiltModel:
    """y ~ Normal(mu, 2): the sd is known; mu ~ Normal(0, 10)."""
    import pymc as pm

    y = data["y"].to_numpy(dtype=float)
    with pm.Model(coords={"obs": np.arange(len(y))}) as m:
        mu = pm.Normal("mu", 0.0, 10.0)
        observed = pm.Data("y_observed", y, dims="obs")
        pm.Normal("y", mu, FIXED_SIGMA, observed=observed, dims="obs")
    return BuiltModel(m, _spec("known_scale", y, data, MODELS[1]))


MODELS = (
    *MODELS,
    ModelEntry(
        "known_scale",
        "the mean of normal data with a known sd",
        build_known_scale,
        ("mu",),
        planted={"sigma": FIXED_SIGMA},
    ),
)
