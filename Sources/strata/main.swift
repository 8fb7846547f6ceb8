import StrataEngine
print("strata: command-line interface under construction")
