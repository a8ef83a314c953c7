"""The glossaries shipped with vien (data only): ``aws.csv``, read through importlib.resources."""
