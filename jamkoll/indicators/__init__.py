"""Regional gender-equality indicators (Jämställdhetskartan): the municipality register, Kolada and
SCB imports, the Kolada API client and the indicator computations. Pure Python: no Django here.
"""
