def f():
    raise ExceptionGroup("several errors", [ValueError("a"), TypeError("b")])
f()
