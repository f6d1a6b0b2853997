"""What a backtest returns: every score per model, origin, unit and horizon, and its summaries."""

from __future__ import annotations

from .scoring import SCORES


class BacktestResult:
    """``scores``: one row per model x origin x unit x horizon (outcome, q05/q50/q95, every score, pit)."""

    def __init__(self, scores, meta: dict, units=None):
        self.scores = scores
        self.meta = meta
        self.units = units

    def __repr__(self) -> str:
        return (f"<BacktestResult {len(self.meta['models'])} models x {len(self.meta['origins'])} origins, "
                f"{self.scores.height} scored forecasts>")

    def to_polars(self):
        return self.scores

    def _mean(self, by: list[str]):
        import polars as pl

        return (self.scores.group_by(by).agg(pl.len().alias("n"), *[pl.col(s).mean() for s in SCORES])
                .sort(by))

    def overall(self):
        """Mean of every score per model, with the CRPS ratio to the best baseline."""
        import polars as pl

        from .models import BASELINES

        df = self._mean(["model"])
        base = df.filter(pl.col("model").is_in(list(BASELINES)))
        if base.height:
            best = base.sort("crps").row(0, named=True)
            df = df.with_columns((pl.col("crps") / best["crps"]).alias("crps_vs_best_baseline"))
            self.meta["best_baseline"] = best["model"]
        order = {m: i for i, m in enumerate(self.meta["models"])}
        return df.sort(pl.col("model").replace_strict(order, default=len(order)))

    def by_horizon(self):
        return self._mean(["model", "horizon"])

    def by_unit(self):
        return self._mean(["model", "unit"])

    def by_origin(self):
        return self._mean(["model", "origin"])

    def worst_misses(self, model: str | None = None, n: int = 15):
        """The forecasts with the largest CRPS (of ``model``, default the first non-baseline one)."""
        import polars as pl

        model = model or self._main_model()
        return (self.scores.filter(pl.col("model") == model).sort("crps", descending=True).head(n)
                .select("model", "unit", "origin", "horizon", "month_id", "outcome", "q05", "q50", "q95", "crps"))

    def _main_model(self) -> str:
        from .models import BASELINES

        rest = [m for m in self.meta["models"] if m not in BASELINES]
        return rest[0] if rest else self.meta["models"][-1]

    def write(self, path) -> None:
        """All scores (Parquet or CSV by suffix), atomically."""
        from ._files import write_frame

        write_frame(self.scores, path, meta=self.meta)

    def report(self, path=None) -> str:
        """One self-contained HTML file (inline SVG charts, no scripts); written to ``path`` if given."""
        from .report import backtest_html

        html = backtest_html(self)
        if path is not None:
            from ._files import write_text

            write_text(path, html)
        return html
