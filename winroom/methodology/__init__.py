"""The TAS+ methodology as pure Python: rules in, plain values out.

Nothing here imports Django. The web application adapts its models to these dataclasses
and back, so every rule can be tested edge case by edge case without a database.
"""
