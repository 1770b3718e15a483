"""Jämkoll: sex-disaggregated follow-up and gender mainstreaming for Swedish public organisations."""

__version__ = "0.1.0"
