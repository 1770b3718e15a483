"""The demo association: synthetic data with planted, known differences."""

from jamkoll.demo.generator import DemoAssociation, generate
from jamkoll.demo.writer import write_demo

__all__ = ["DemoAssociation", "generate", "write_demo"]
