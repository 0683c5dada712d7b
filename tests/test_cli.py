"""Tests for teachkit.cli: the demos, check-corr, and one-line errors with exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from teachkit.cli import main

LECTURE = "1,0.9,0.8;0.9,1,-0.9;0.8,-0.9,1"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_lkj_writes_figure_and_prints_table(tmp_path: Path, capsys) -> None:
    code, out, err = run(
        ["demo", "lkj", "--eta", "0.5,2", "--draws", "500", "--out", str(tmp_path)], capsys
    )
    assert code == 0, err
    png = tmp_path / "lkj.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "sd exact" in out and "P(|ρ|>0.5)" in out
    rows = [line for line in out.splitlines() if line.strip().startswith("│")]
    assert [r.split("│")[1].strip() for r in rows] == ["0.5", "2"]
    # exact sd for dim 2 is 1/sqrt(2 eta + 1)
    assert "0.707" in rows[0] and "0.447" in rows[1]


def test_demo_lkj_same_seed_same_output(tmp_path: Path, capsys) -> None:
    outs = []
    for name in ("a", "b"):
        code, out, _ = run(
            ["demo", "lkj", "--draws", "300", "--seed", "4", "--out", str(tmp_path / name)],
            capsys,
        )
        assert code == 0
        table = [line for line in out.splitlines() if not line.startswith("figure:")]
        outs.append((table, (tmp_path / name / "lkj.png").read_bytes()))
    assert outs[0] == outs[1]


def test_demo_mvn_writes_figure_and_prints_both_covariances(tmp_path: Path, capsys) -> None:
    code, out, err = run(
        ["demo", "mvn", "--sds", "2,1", "--rho", "-0.8", "--draws", "300", "--out", str(tmp_path)],
        capsys,
    )
    assert code == 0, err
    assert (tmp_path / "mvn.png").stat().st_size > 0
    assert "-1.6000" in out and "4.0000" in out
    assert "independent" in out


def test_check_corr_on_the_lecture_example(capsys) -> None:
    code, out, _ = run(["check-corr", LECTURE], capsys)
    assert code == 1
    assert "Not a correlation matrix." in out
    assert "R[1,2] = -0.9 (rho_yz) must lie in [0.46, 0.98]" in out
    assert "Nearest correlation matrix" in out


def test_check_corr_on_a_valid_matrix(capsys) -> None:
    code, out, _ = run(["check-corr", "1,0.5;0.5,1"], capsys)
    assert code == 0
    assert "A valid correlation matrix." in out


def test_check_corr_on_a_non_square_matrix_offers_no_repair(capsys) -> None:
    code, out, _ = run(["check-corr", "1,0.5"], capsys)
    assert code == 1
    assert "must be square" in out and "Nearest" not in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["check-corr", "1,x;0,1"], "cannot read '1,x;0,1' as a matrix"),
        (["check-corr", "1,0.5;0.5"], "rows have different lengths"),
        (["demo", "lkj", "--eta", "1,two"], "--eta: '1,two' is not a comma-separated list"),
        (["demo", "lkj", "--eta", "0,1"], "eta must be a finite number > 0"),
        (["demo", "lkj", "--dim", "1"], "--dim"),
        (["demo", "lkj", "--draws", "many"], "--draws"),
        (["demo", "lkj", "--bogus"], "No such option: --bogus"),
        (["demo", "mvn", "--rho", "1.5"], r"rho must be a number in [-1, 1]"),
        (["demo", "mvn", "--sds", "1,2,3"], "--sds: give exactly two"),
        (["demo", "nope"], "No such command"),
    ],
)
def test_user_mistakes_give_one_line_and_exit_2(argv, message: str, capsys, tmp_path) -> None:
    code, _, err = run([*argv, *(["--out", str(tmp_path)] if argv[0] == "demo" else [])], capsys)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("teachkit: error: "), err
    assert message in err
    assert "Traceback" not in err


def test_console_script_runs_without_traceback(tmp_path: Path) -> None:
    """The installed entry point and python -m give the same exit codes as main()."""
    bad = subprocess.run(
        [sys.executable, "-m", "teachkit", "demo", "lkj", "--eta", "x"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.startswith("teachkit: error:") and "Traceback" not in bad.stderr
    invalid = subprocess.run(
        [sys.executable, "-m", "teachkit", "check-corr", LECTURE],
        capture_output=True,
        text=True,
        check=False,
    )
    assert invalid.returncode == 1


def test_demos_and_check_corr_do_not_import_pymc(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from teachkit.cli import main\n"
        f"assert main(['demo', 'lkj', '--draws', '50', '--out', {str(tmp_path)!r}]) == 0\n"
        f"assert main(['demo', 'mvn', '--draws', '50', '--out', {str(tmp_path)!r}]) == 0\n"
        f"assert main(['check-corr', {LECTURE!r}]) == 1\n"
        "heavy = sorted(m for m in ('pymc', 'pytensor', 'arviz', 'nutpie') if m in sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_importing_teachkit_does_not_import_pymc() -> None:
    code = "import sys, teachkit; assert 'pymc' not in sys.modules; print(teachkit.__version__)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_public_api_resolves() -> None:
    import teachkit

    for name in teachkit.__all__:
        assert getattr(teachkit, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        teachkit.nope  # noqa: B018


def test_data_list_show_export(tmp_path: Path, capsys) -> None:
    code, out, _ = run(["data", "list"], capsys)
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == ["beijing", "nwo", "cafes"]
    code, out, _ = run(["data", "show", "nwo", "--rows", "2"], capsys)
    assert code == 0
    assert out.startswith("nwo: 18 rows x 4 columns")
    assert "Chemical sciences" in out and "applications" in out
    code, _, _ = run(["data", "export", "beijing", "--out", str(tmp_path / "b.csv")], capsys)
    assert code == 0
    exported = pd.read_csv(tmp_path / "b.csv")
    assert len(exported) == 16_966 and "log_ozone" in exported.columns


def test_data_show_beijing_lists_the_stations_coordinates(capsys) -> None:
    from teachkit.cases.ozone.stations import load_beijing_stations

    code, out, _ = run(["data", "show", "beijing", "--rows", "2"], capsys)
    assert code == 0
    assert out.startswith("beijing: 16966 rows x 15 columns")
    _, stations = out.split("beijing stations (WGS84 degrees): 12 rows\n")
    lines = stations.splitlines()
    assert lines[0].split() == ["station", "station_id", "latitude", "longitude"]
    shipped = load_beijing_stations()
    for line, row in zip(lines[1:], shipped.itertuples(), strict=True):
        name, sid, lat, lon = line.split()
        assert (name, int(sid)) == (row.station, row.station_id)
        assert (float(lat), float(lon)) == (row.latitude, row.longitude)
    code, out, _ = run(["data", "show", "nwo", "--rows", "2"], capsys)
    assert "stations" not in out


def test_data_show_checks_a_user_csv(tmp_path: Path, capsys) -> None:
    path = tmp_path / "mine.csv"
    pd.DataFrame({"station": ["a"], "station_id": [0], "TEMP": [20.0]}).to_csv(path, index=False)
    code, _, err = run(["data", "show", str(path), "--case", "ozone"], capsys)
    assert code == 2
    assert err.count("\n") == 1
    assert "mine.csv lacks column(s) date, O3, log_ozone" in err


@pytest.mark.parametrize("case", ["ozone", "grants"])
def test_simulate_same_seed_same_bytes(case: str, tmp_path: Path, capsys) -> None:
    produced = []
    for name, seed in (("a", "5"), ("b", "5"), ("c", "6")):
        csv, truth = tmp_path / f"{name}.csv", tmp_path / f"{name}.json"
        argv = ["simulate", case, "--seed", seed, "--out", str(csv), "--truth", str(truth)]
        if case == "ozone":
            argv += ["--stations", "4", "--days", "30"]
        code, out, err = run(argv, capsys)
        assert code == 0, err
        assert f"wrote {csv}" in out
        produced.append((csv.read_bytes(), truth.read_bytes()))
    assert produced[0] == produced[1]
    assert produced[0][0] != produced[2][0] and produced[0][1] != produced[2][1]


def test_simulate_options_reach_the_simulator(tmp_path: Path, capsys) -> None:
    truth = tmp_path / "t.json"
    argv = ["simulate", "ozone", "--stations", "3", "--days", "2", "--rho", "0.3",
            "--sigma-beta", "0", "--out", str(tmp_path / "d.csv"),
            "--truth", str(truth)]  # fmt: skip
    assert run(argv, capsys)[0] == 0
    planted = json.loads(truth.read_text())
    assert planted["rho"] == 0.3 and planted["sigma_beta"] == 0.0
    assert planted["beta[0]"] == planted["beta[2]"] == planted["mu_beta"]
    argv = ["simulate", "grants", "--disciplines", "4", "--direct-effect", "0.5",
            "--out", str(tmp_path / "g.csv"), "--truth", str(truth)]  # fmt: skip
    assert run(argv, capsys)[0] == 0
    planted = json.loads(truth.read_text())
    assert planted["direct_effect"] == 0.5 and "beta[D4]" in planted


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["simulate", "ozone", "--rho", "1"], r"rho must be a number in (-1, 1), got 1.0"),
        (["simulate", "ozone", "--rho", "-1.2"], r"rho must be a number in (-1, 1)"),
        (["simulate", "ozone", "--sigma-alpha", "-0.1"], "sigma_alpha must be a number >= 0"),
        (["simulate", "ozone", "--stations", "0"], "--stations"),
        (["simulate", "ozone", "--days", "0"], "--days"),
        (["simulate", "grants", "--applications", "-5"], "--applications"),
        (["simulate", "grants", "--discipline-sd", "-1"], "discipline_sd must be a number >= 0"),
        (["simulate", "weather"], "No such command"),
        (["data", "show", "foo"], "unknown data set 'foo'"),
        (["data", "export", "foo"], "unknown data set 'foo'"),
    ],
)
def test_data_and_simulate_mistakes_exit_2(argv, message: str, tmp_path: Path, capsys) -> None:
    if argv[0] == "simulate" and argv[1] != "weather":
        argv = [*argv, "--out", str(tmp_path / "x.csv")]
    if argv[:2] == ["data", "export"]:
        argv = [*argv, "--out", str(tmp_path / "x.csv")]
    code, _, err = run(argv, capsys)
    assert code == 2
    assert err.count("\n") == 1 and message in err, err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["fit", "ozone", "--model", "linear"], "unknown ozone model 'linear'; choose one of"),
        (["fit", "weather", "--model", "pooled"], "unknown case 'weather'; choose one of"),
        (["fit", "ozone", "--model", "pooled", "--sampler", "gibbs"], "unknown sampler 'gibbs'"),
        (["fit", "ozone", "--model", "pooled", "--data", "nwo"], "nwo is a grants data set"),
        (["fit", "ozone", "--model", "pooled", "--data", "mars"], "unknown ozone data 'mars'"),
        (["fit", "ozone", "--model", "covarying", "--parameterization", "odd"],
         "unknown parameterization 'odd'"),
        (["fit", "ozone", "--model", "pooled", "--parameterization", "centered"],
         "the ozone model 'pooled' takes no option parameterization; its options: likelihood"),
        (["fit", "grants", "--model", "gender", "--likelihood", "pointwise"],
         "the grants model 'gender' takes no option likelihood; its options: none"),
        (["compare", "grants", "--sampler", "gibbs"], "unknown sampler 'gibbs'"),
        (["held-out", "grants"], "the grants case has no groups to leave out"),
        (["held-out", "ozone", "--model", "pooled", "--model", "gp"], "unknown ozone model 'gp'"),
        (["fit", "ozone", "--model", "pooled", "--data", "missing.csv"], "no such file"),
    ],
)  # fmt: skip
def test_fit_mistakes_exit_2(argv: list[str], message: str, capsys) -> None:
    code, _, err = run(argv, capsys)
    assert code == 2
    assert err.count("\n") == 1 and message in err, err


def test_fit_rejects_data_without_columns_or_with_nan(tmp_path: Path, capsys) -> None:
    sim = simulate_ozone_data()
    sim.drop(columns="TEMP").to_csv(tmp_path / "no_temp.csv", index=False)
    code, _, err = run(
        ["fit", "ozone", "--model", "pooled", "--data", str(tmp_path / "no_temp.csv")], capsys
    )
    assert code == 2 and "lacks column(s) TEMP" in err and err.count("\n") == 1
    sim.loc[2, "log_ozone"] = float("nan")
    sim.to_csv(tmp_path / "nan.csv", index=False)
    code, _, err = run(
        ["fit", "ozone", "--model", "pooled", "--data", str(tmp_path / "nan.csv")], capsys
    )
    assert code == 2 and "log_ozone has 1 missing (NaN) values" in err and err.count("\n") == 1


def simulate_ozone_data() -> pd.DataFrame:
    from teachkit.simulate import simulate_ozone

    return simulate_ozone(n_stations=3, n_days=10, rng=0).data


@pytest.mark.slow
def test_fit_and_compare_grants_write_json(tmp_path: Path, capsys) -> None:
    fit_json, cmp_json, nc = tmp_path / "fit.json", tmp_path / "cmp.json", tmp_path / "fit.nc"
    code, out, err = run(
        ["fit", "grants", "--model", "multilevel", "--draws", "300", "--tune", "300",
         "--json", str(fit_json), "--save", str(nc)],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    assert "gender_gap" in out and "diagnostics:" in out and "advice:" in out
    record = json.loads(fit_json.read_text())
    assert record["case"] == "grants" and record["model"] == "multilevel"
    assert record["data"] == "nwo" and record["n_obs"] == 18 and record["seed"] == 1
    # the grants models take no options, so the record names none
    assert "parameterization" not in record and "likelihood" not in record
    assert set(record["seconds"]) == {"wall", "compile", "sampling"}
    assert {"alpha[f]", "alpha[m]", "tau", "gender_gap", "beta[Physics]"} <= set(
        record["parameters"]
    )
    assert set(record["parameters"]["tau"]) == {
        "mean", "sd", "hdi_3%", "hdi_97%", "r_hat", "ess_bulk", "ess_tail"}  # fmt: skip
    import arviz as az

    assert "log_likelihood" in az.from_netcdf(nc).groups()

    code, out, err = run(
        ["compare", "grants", "--draws", "300", "--tune", "300", "--json", str(cmp_json)], capsys
    )
    assert code == 0, err
    best = out.split("than the best (", 1)[1].split(")", 1)[0]  # the reading names the best
    assert "dse is the standard error of that difference" in out and "stacking weight" in out
    record = json.loads(cmp_json.read_text())
    assert record["models"][0]["model"] == best
    assert [m["rank"] for m in record["models"]] == [0, 1, 2]
    assert {m["model"] for m in record["models"]} == {"gender", "gender_discipline", "multilevel"}
    assert set(record["models"][0]) == {"model", "rank", "elpd_loo", "p_loo", "d_loo", "weight",
                                        "se", "dse", "warning", "pareto_k_max"}  # fmt: skip


@pytest.mark.slow
# PyMC's workers inherit pytest's warnings-as-errors; early in tuning the LKJ log density
# meets a NaN in a cumulative sum, which PyMC treats as a rejected step.
@pytest.mark.filterwarnings("ignore:invalid value encountered in accumulate:RuntimeWarning")
def test_bench_prints_eight_rows_and_writes_json(tmp_path: Path, capsys) -> None:
    """Settings reach every fit, and the ratios are the anchors' wall times over the row's."""
    path = tmp_path / "bench.json"
    argv = ["bench", "--draws", "30", "--tune", "20", "--chains", "2", "--repeats", "2",
            "--json", str(path)]  # fmt: skip
    code, out, err = run(argv, capsys)
    assert code == 0, err
    for label in ("slides' form, PyMC NUTS", "slides' form, nutpie", "teachkit (default), nutpie",
                  "x PyMC", "x nutpie", "ESS/s", "wall s", "teachkit warm:"):  # fmt: skip
        assert label in out, label
    record = json.loads(path.read_text())
    assert (record["draws"], record["tune"], record["chains"]) == (30, 20, 2)
    rows = record["rows"]
    assert [(r["form"], r["sampler"], r["start"]) for r in rows] == [
        (form, sampler, start)
        for form, sampler in (
            ("slides", "pymc"),
            ("slides", "nutpie"),
            ("teachkit", "nutpie"),
            ("spatial", "nutpie"),
        )
        for start in ("cold", "warm")
    ]
    assert [len(r["runs"]) for r in rows] == [1, 1, 1, 1, 1, 2, 1, 2]
    assert rows[5]["wall"] == min(rows[5]["runs"])  # the lower median of two
    assert "spatial_intercepts warm:" in out
    by_key = {(r["form"], r["sampler"], r["start"]): r for r in rows}
    assert [r["speedup_vs"] for r in rows[6:]] == [{}, {}]  # another model: no speed-up
    for r in rows[:6]:
        for anchor in ("pymc", "nutpie"):
            expected = by_key[("slides", anchor, r["start"])]["wall"] / r["wall"]
            assert r["speedup_vs"][f"slides_{anchor}"] == pytest.approx(expected)
        assert r["compile"] <= r["wall"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["sbc", "ozone", "--model", "covarying", "--sims", "0"], "--sims must be a whole number"),
        (["sbc", "ozone", "--model", "linear", "--sims", "5"], "unknown ozone model 'linear'"),
        (["sbc", "weather", "--model", "covarying", "--sims", "5"], "unknown case 'weather'"),
        (["sbc", "ozone", "--model", "covarying", "--sims", "5", "--parameterization", "bogus"],
         "unknown parameterization 'bogus'; choose one of: shifted, noncentered, centered"),
        (["sbc", "ozone", "--model", "covarying", "--sims", "5", "--jobs", "0"],
         "--jobs must be a whole number"),
        (["sbc", "ozone", "--model", "covarying", "--sims", "5", "--scheduler",
          "tcp://127.0.0.1:9"], "cannot reach the Dask scheduler at tcp://127.0.0.1:9"),
        (["recover", "ozone", "--model", "linear"], "unknown ozone model 'linear'"),
        (["recover", "grants"], "Missing option '--model'"),
    ],
)  # fmt: skip
def test_recover_and_sbc_mistakes_exit_2(argv, message: str, tmp_path: Path, capsys) -> None:
    if argv[0] == "sbc":
        argv = [*argv, "--out", str(tmp_path)]
    code, _, err = run(argv, capsys)
    assert code == 2
    assert err.count("\n") == 1 and message in err, err


@pytest.mark.slow
def test_recover_prints_the_table_and_writes_json(tmp_path: Path, capsys) -> None:
    path = tmp_path / "recover.json"
    code, out, err = run(
        ["recover", "grants", "--model", "gender", "--draws", "300", "--tune", "300",
         "--json", str(path)],
        capsys,
    )  # fmt: skip
    record = json.loads(path.read_text())
    hyper = ("alpha[f]", "alpha[m]", "gender_gap")  # the gender model's hyperparameters
    for name in hyper:  # the record's flag and the exit code follow from the intervals
        p = record["parameters"][name]
        assert p["inside"] == (p["hdi_low"] <= p["truth"] <= p["hdi_high"])
    expected_inside = all(record["parameters"][name]["inside"] for name in hyper)
    assert record["all_hyperparameters_inside"] == expected_inside
    assert code == (0 if expected_inside else 1), err
    assert set(record) == {"case", "model", "seed", "hdi_prob", "parameters",
                           "all_hyperparameters_inside"}  # fmt: skip
    assert set(record["parameters"]["gender_gap"]) == {
        "truth", "mean", "sd", "hdi_low", "hdi_high", "inside"}  # fmt: skip
    assert "gender_gap" in out and "hyperparameters inside" in out


@pytest.mark.slow
def test_sbc_writes_ranks_and_plots(tmp_path: Path, capsys) -> None:
    code, out, err = run(
        ["sbc", "grants", "--model", "gender", "--sims", "4", "--draws", "100", "--tune", "100",
         "--out", str(tmp_path)],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    ranks = pd.read_csv(tmp_path / "ranks.csv")
    assert len(ranks) == 4 and "rank_gender_gap" in ranks and "truth_alpha[f]" in ranks
    assert (tmp_path / "sbc_ranks.png").stat().st_size > 0
    assert (tmp_path / "sbc_ecdf.png").stat().st_size > 0
    assert "fits per minute" in out and "4/4 fits" in err
    assert "min_ess" in ranks and "against the 99 draws ranked" in out
