"""Sex-disaggregated statistics and unjustified differences (pure Python, no Django).

``analyze(store, config)`` runs every comparison; the building blocks (``stats``, ``oaxaca``,
``disclosure``) are usable on their own.
"""

from jamkoll.analysis.engine import DEFAULT_COVARIATES, AnalysisConfig, analyze
from jamkoll.analysis.results import Analysis, Effect, Finding, ResultTable

__all__ = ["DEFAULT_COVARIATES", "Analysis", "AnalysisConfig", "Effect", "Finding", "ResultTable", "analyze"]
